import type { StopReasonCode } from "../../batch/batch-context.js";
import type { RunStore } from "../../ledger/run-store.js";
import { UserError } from "../../util/errors.js";
import { EXIT, exitCodeFor } from "../exit-codes.js";

/** How a run ends: a signal wins; then anything left for a later run; then any row that failed. */
export function decideExitCode(
  signalExit: number | undefined,
  stopReason: StopReasonCode | undefined,
  unresolved: number,
  counts: Record<string, number>,
): number {
  if (signalExit !== undefined) return signalExit;
  const unfinished = (counts.pending ?? 0) + (counts.running ?? 0) + (counts.submitting ?? 0);
  if (stopReason || unresolved > 0 || unfinished > 0) return EXIT.resumable;
  if ((counts.failed ?? 0) + (counts.invalid ?? 0) + (counts.unknown ?? 0) > 0) return EXIT.rowsFailed;
  return EXIT.ok;
}

/**
 * Records how a run that ended in an error ended: the exit code the CLI gives it (3 for a run that
 * lost its ledger to another, 70 for a bug). A ledger that cannot be written (a full disk) is let
 * be: the first error is the one to report.
 */
export function recordRunFailure(runs: RunStore, runId: number, error: unknown): void {
  try {
    runs.finish(runId, {
      submitted: 0,
      exitCode: error instanceof UserError ? exitCodeFor(error.code) : EXIT.internal,
      stopReason: error instanceof Error ? error.message : String(error),
    });
  } catch {
    // The ledger cannot be written: the error that ended the run is reported, not this one.
  }
}
