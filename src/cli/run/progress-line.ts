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
  waiting?: WaitReason;
}

/** A part of the line, and how much it matters: the least important go first when the line is too long. */
type Part = { text: string; rank: number };

/** Joins the parts that fit in `width` columns, dropping the least important ones first. */
function fitParts(parts: Part[], width: number): string {
  const kept = parts.filter((p) => p.text !== "");
  const length = () => kept.reduce((n, p) => n + [...p.text].length, 0) + 3 * (kept.length - 1);
  while (kept.length > 1 && length() > width) {
    const least = kept.reduce((a, b) => (b.rank < a.rank ? b : a));
    kept.splice(kept.indexOf(least), 1);
  }
  return kept.map((p) => p.text).join(" · ");
}

/** The shortest time the queued rows can take under a provider's window (a rate, a daily cap). */
function waitBound(wait: WaitReason | undefined, queued: number, now: number): number {
  if (wait?.kind !== "rate-limit" || queued === 0) return 0;
  const windows = Math.max(0, Math.ceil(queued / Math.max(1, wait.limit.max)) - 1);
  return Math.max(0, wait.until - now) + windows * wait.limit.windowMs;
}

/**
 * The live status line, built to fit a terminal (80 columns by default): money first (spent, and
 * held for tasks not yet charged), then why submissions wait, then the counts (zero counts left
 * out), the rate per minute and an ETA that counts the provider's known waits (a rate window, a
 * daily cap) as well as the pace of this run. What does not fit is dropped, least useful first.
 */
export function createProgressLine(startedAt: number, initial: Record<string, number>, width = 80) {
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
    const pace = thisRun === 0 ? undefined : (left / perMinute) * 60_000;
    const bound = waitBound(sample.waiting, queued, now);
    const eta =
      left === 0 ? undefined : pace === undefined ? (bound > 0 ? bound : undefined) : Math.max(pace, bound);
    const pct = total > 0 ? Math.floor((done * 100) / total) : 100;
    const count = (n: number, word: string) => (n > 0 ? `${n} ${word}` : "");
    return fitParts(
      [
        {
          text:
            sample.reservedUsd > 0
              ? `${formatUsd(sample.spentUsd)} +${formatUsd(sample.reservedUsd)} held`
              : `${formatUsd(sample.spentUsd)} spent`,
          rank: 10,
        },
        { text: sample.waiting ? describeWait(sample.waiting) : "", rank: 9 },
        { text: `${c.succeeded ?? 0}/${total} done (${pct}%)`, rank: 10 },
        { text: count(running, "running"), rank: 7 },
        { text: count(queued, "queued"), rank: 4 },
        { text: count(failed, "failed"), rank: 8 },
        { text: thisRun === 0 ? "" : `${perMinute.toFixed(perMinute < 10 ? 1 : 0)}/min`, rank: 3 },
        { text: eta === undefined ? "" : `ETA ${formatDuration(eta)}`, rank: 6 },
        { text: formatDuration(now - startedAt), rank: 2 },
      ],
      width,
    );
  };
}

/** Why submissions wait, in words for the live line (short: it shares the line with the figures). */
export function describeWait(wait: WaitReason): string {
  if (wait.kind === "downloads") return `waiting for ${wait.queued} downloads`;
  if (wait.kind === "lost-callbacks") return `waiting for the callbacks of ${wait.submissions} lost answers`;
  const at = new Date(wait.until).toISOString().slice(11, 19);
  const per = wait.limit.windowMs >= 86_400_000 ? "day" : `${wait.limit.windowMs / 1000} s`;
  return wait.paused
    ? `${wait.provider} paused us: next at ${at} UTC`
    : `${wait.provider} ${wait.limit.max}/${per}: next at ${at} UTC`;
}
