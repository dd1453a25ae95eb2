/**
 * Delay before retry number `attempt` (1-based): the server's Retry-After when it gave one (plus a
 * little jitter so that waiting clients do not return in lockstep), otherwise capped exponential
 * back-off with "equal jitter" (half fixed, half random).
 */
export function calculateRetryDelay(options: {
  attempt: number;
  retryAfterMs?: number;
  baseMs?: number;
  capMs?: number;
  random?: () => number;
}): number {
  const { attempt, retryAfterMs, baseMs = 1000, capMs = 30_000, random = Math.random } = options;
  if (retryAfterMs !== undefined && Number.isFinite(retryAfterMs) && retryAfterMs >= 0) {
    return Math.round(retryAfterMs + random() * Math.min(1000, retryAfterMs * 0.1));
  }
  const exp = Math.min(capMs, baseMs * 2 ** Math.max(0, attempt - 1));
  return Math.round(exp / 2 + (random() * exp) / 2);
}

/**
 * Reads a Retry-After header: delta-seconds or an HTTP date. Undefined when absent or unreadable.
 * Capped at an hour so a broken header cannot park the run forever.
 */
export function parseRetryAfter(
  header: string | string[] | undefined,
  now: number = Date.now(),
): number | undefined {
  const value = Array.isArray(header) ? header[0] : header;
  if (value === undefined || value.trim() === "") return undefined;
  const cap = 3_600_000;
  if (/^\s*\d+(\.\d+)?\s*$/.test(value)) return Math.min(cap, Math.round(Number(value) * 1000));
  const date = Date.parse(value);
  if (Number.isNaN(date)) return undefined;
  return Math.min(cap, Math.max(0, date - now));
}
