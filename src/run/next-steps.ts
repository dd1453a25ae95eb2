import type { BatchOutcome } from "../batch/batch-context.js";
import type { NextStep } from "./run-report.js";

export interface RunLeft {
  counts: Record<string, number>;
  outcome: BatchOutcome;
  /** The lines of failed rows the provider's content filter refused (see job/content-refusal). */
  refusedLines: number[];
  /** The lines of failed rows a reviewer marked Keep (never retried). */
  keptLines?: number[];
  /** Spent so far and the estimate of what is still to submit, for a new USD budget. */
  spentUsd: number;
  remainingUsd: number;
}

/**
 * What to do next for what is left: one step for what stopped the run (a budget stop says to raise
 * the budget, not to resume, which would stop again), then one per kind of row to act on.
 */
export function nextSteps(left: RunLeft): NextStep[] {
  const steps: NextStep[] = [];
  const c = left.counts;
  const stop = left.outcome.stopReason;
  const unfinished = (c.pending ?? 0) + (c.running ?? 0) + (c.submitting ?? 0);
  // A paid video over the cap comes with a larger cap, not with the same run again.
  if (left.outcome.tooLarge > 0) steps.push({ kind: "raise-max-video-bytes", videos: left.outcome.tooLarge });
  if (stop?.code === "budget")
    steps.push({
      kind: "raise-max-cost",
      costUsd: Math.ceil((left.spentUsd + left.remainingUsd) * 100 - 1e-6) / 100,
    });
  else if (stop?.code === "credit-budget") steps.push({ kind: "raise-max-credits" });
  else if (stop?.code === "disk") steps.push({ kind: "free-disk" });
  else if (left.outcome.unpriced > 0)
    steps.push({ kind: "allow-unknown-price", rows: left.outcome.unpriced });
  else if (stop?.code === "credits") steps.push({ kind: "top-up" });
  else if (stop?.code === "quota") steps.push({ kind: "wait-for-quota" });
  else if (stop?.code === "auth") steps.push({ kind: "fix-key" });
  // Rows whose video is over the cap count as unfinished and unresolved, but resuming does not help them.
  else if (unfinished - left.outcome.tooLarge > 0 || left.outcome.unresolved - left.outcome.tooLarge > 0)
    steps.push({ kind: "resume" });
  const kept = new Set(left.keptLines ?? []);
  const refused = left.refusedLines.filter((line) => !kept.has(line));
  const retryable = (c.failed ?? 0) - refused.length - kept.size;
  if (retryable > 0) steps.push({ kind: "retry-failed", rows: retryable });
  if (refused.length > 0) steps.push({ kind: "edit-refused", lines: refused });
  if ((c.unknown ?? 0) > 0) steps.push({ kind: "resubmit-unknown", rows: c.unknown ?? 0 });
  if ((c.invalid ?? 0) > 0) steps.push({ kind: "fix-invalid", rows: c.invalid ?? 0 });
  return steps;
}
