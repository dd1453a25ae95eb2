import type { WaitReason } from "../../batch/batch-context.js";
import { formatDuration, formatUsd } from "../format.js";

/** What the live line shows, read from the ledger. */
interface ProgressSample {
  counts: Record<string, number>;
  /** Charged by the provider. */
  spentUsd: number;
  /** Estimated for tasks that exist or may exist, until the provider reports their charge. */
  reservedUsd: number;
  /** Why submissions wait, when they do (a provider limit, until when). */
  waiting?: string;
}

/**
 * The live status line: done / running / queued / failed / total, the share finished, the rate
 * and an ETA learned from the rows this run finished, and the money spent and reserved.
 */
export function createProgressLine(startedAt: number, initial: Record<string, number>) {
  const finished = (c: Record<string, number>) =>
    (c.succeeded ?? 0) + (c.failed ?? 0) + (c.invalid ?? 0) + (c.unknown ?? 0);
  const before = finished(initial);
  return (sample: ProgressSample, now = Date.now()): string => {
    const c = sample.counts;
    const total = Object.values(c).reduce((a, b) => a + b, 0);
    const done = finished(c);
    const running = (c.running ?? 0) + (c.submitting ?? 0);
    const queued = c.pending ?? 0;
    const failed = (c.failed ?? 0) + (c.invalid ?? 0) + (c.unknown ?? 0);
    const elapsed = Math.max(1, now - startedAt);
    // Rows this run finished; never below zero (rows resubmitted by --resubmit-unknown or
    // --retry-failed leave the finished count the run started with).
    const thisRun = Math.max(0, done - before);
    const perMinute = (thisRun * 60_000) / elapsed;
    const left = running + queued;
    const rate =
      thisRun === 0
        ? ""
        : perMinute >= 60
          ? ` · ${(perMinute / 60).toFixed(1)}/s`
          : ` · ${perMinute.toFixed(1)}/min`;
    const eta = thisRun === 0 || left === 0 ? "" : ` · ETA ${formatDuration((left / perMinute) * 60_000)}`;
    const pct = total > 0 ? Math.floor((done * 100) / total) : 100;
    return (
      `${c.succeeded ?? 0} done · ${running} running · ${queued} queued · ${failed} failed · ${total} total (${pct}%)` +
      `${rate}${eta} · ${formatUsd(sample.spentUsd)} spent${sample.reservedUsd > 0 ? `, ${formatUsd(sample.reservedUsd)} reserved` : ""}` +
      ` · ${formatDuration(now - startedAt)}${sample.waiting ? ` · ${sample.waiting}` : ""}`
    );
  };
}

/** Why submissions wait, in words for the live line. */
export function describeWait(wait: WaitReason): string {
  if (wait.kind === "downloads") return `submissions wait for downloads (${wait.queued} videos queued)`;
  if (wait.kind === "lost-callbacks")
    return `waiting for the callbacks of ${wait.submissions} submission(s) whose answer was lost`;
  const at = new Date(wait.until).toISOString().slice(11, 19);
  return wait.paused
    ? `submissions paused by ${wait.provider}'s rate limit until ${at} UTC`
    : `submissions wait for ${wait.provider}'s limit (${wait.limit.max} per ${wait.limit.windowMs / 1000} s) until ${at} UTC`;
}
