/**
 * Gap before a task's next status check. Proportional to the task's age (an eighth of it), so a
 * task is seen done within ~12% of its generation time with a handful of checks; never shorter than
 * --poll-interval, never longer than 30 s (or the interval, if larger). This follows KIE's guidance
 * (2–3 s early, 5–10 s after 30 s, 15–30 s after 2 min). A little random spread keeps tasks that
 * started together from polling together.
 */
export function calculateNextPollDelay(
  ageMs: number,
  minIntervalMs: number,
  random: () => number = Math.random,
): number {
  const maxMs = Math.max(30_000, minIntervalMs);
  const base = Math.min(maxMs, Math.max(minIntervalMs, ageMs / 8));
  return Math.round(base * (1 + random() * 0.1));
}
