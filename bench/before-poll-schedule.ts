/**
 * The schedule vidbatch used before the status budget (kept for the benches' before/after figures):
 * the gap before a task's next status check.
 *
 * Before anything is learned: proportional to the task's age (an eighth of it), a short ramp that
 * sees a task done within ~12% of its generation time, following KIE's guidance (2–3 s early, 5–10 s
 * after 30 s, 15–30 s after 2 min) — and no check before half the age at which another task of
 * the same kind was still running (`notBeforeMs`), so only the first tasks ramp up.
 *
 * Once the generation time of this kind of job is known (see GenerationTimes): no check until the
 * earliest usual end (the 20th percentile of what finished), then one every 15% of the median
 * time (past 30 s when the median is long). With generation times spread ±30%, that is 4–5 checks
 * a task and a median delay of ~8% of the generation time between a task finishing and vidbatch
 * noticing it (bench/poll-bench.ts; the ramp before anything is learned costs the rest).
 *
 * Never shorter than --poll-interval, never longer than 30 s (or the interval, if larger); a little
 * random spread keeps tasks that started together from polling together.
 */
export function calculateNextPollDelay(
  ageMs: number,
  minIntervalMs: number,
  random: () => number = Math.random,
  expected?: { early: number; median: number },
  notBeforeMs = 0,
  maxGapMs = 30_000,
): number {
  const maxMs = Math.max(maxGapMs, minIntervalMs);
  const spread = (ms: number) => Math.round(ms * (1 + random() * 0.1));
  if (!expected && ageMs < notBeforeMs) return Math.max(minIntervalMs, Math.round(notBeforeMs - ageMs));
  if (expected) {
    if (ageMs < expected.early) return Math.max(minIntervalMs, Math.round(expected.early - ageMs));
    return spread(
      Math.min(Math.max(maxMs, expected.median * 0.2), Math.max(minIntervalMs, expected.median * 0.15)),
    );
  }
  return spread(Math.min(maxMs, Math.max(minIntervalMs, ageMs / 8)));
}
