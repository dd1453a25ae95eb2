import { formatDuration, formatUsd } from "../format.js";

/** What the live line shows, read from the ledger. */
export interface ProgressSample {
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
    const thisRun = done - before;
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
