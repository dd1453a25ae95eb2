import { sleep } from "../util/sleep.js";
import { asNumber } from "./read-json.js";

type Headers = Record<string, string | string[] | undefined>;

/**
 * Follows a server's own count of what is left (`X-RateLimit-Remaining`, `X-RateLimit-Reset` in
 * absolute Unix seconds): once the budget is spent, every request waits for the reset instead of
 * collecting 429s. This adapts to whatever plan the key is on, which the client cannot know.
 */
export class RateLimitGate {
  private remaining: number | undefined;
  private resetAtMs = 0;
  /** The budget per window the server last reported (`X-RateLimit-Limit`): the key's plan. */
  limit: number | undefined;

  observe(headers: Headers, now = Date.now()): void {
    const value = (name: string) => {
      const h = headers[name];
      return asNumber(Array.isArray(h) ? h[0] : h);
    };
    const limit = value("x-ratelimit-limit");
    if (limit !== undefined && limit > 0) this.limit = limit;
    const remaining = value("x-ratelimit-remaining");
    const reset = value("x-ratelimit-reset");
    if (remaining === undefined || reset === undefined) return;
    this.remaining = remaining;
    this.resetAtMs = reset > 1e9 ? reset * 1000 : now + reset * 1000;
  }

  /** How long the next request should wait, 0 when the budget allows it now. */
  waitTime(now = Date.now()): number {
    if (this.remaining === undefined || this.remaining > 0) return 0;
    return Math.max(0, Math.min(3_600_000, this.resetAtMs - now));
  }

  /**
   * Waits until the budget allows one more request, and counts it. After a reset the count is
   * unknown until an answer says it: one request goes first and the others wait for its answer (at
   * most a second), so requests that queued for the reset do not all go at once into 429s.
   */
  async wait(signal?: AbortSignal): Promise<void> {
    for (;;) {
      // Past the reset by a margin: the server names it in whole seconds.
      const spent = this.remaining !== undefined && this.remaining <= 0;
      const ms = spent ? this.resetAtMs + RESET_MARGIN_MS - Date.now() : 0;
      if (ms > 0) {
        // In short steps: an answer may say a new count before the wait is over.
        await sleep(Math.min(ms, 200), signal);
        continue;
      }
      if (this.remaining === undefined) return;
      if (this.remaining > 0) {
        this.remaining--; // count our own request in flight
        return;
      }
      // The reset has passed: this request finds out what the new window allows.
      this.remaining = 0;
      this.resetAtMs = Date.now() + PROBE_MS;
      return;
    }
  }
}

/** Past the reset the server names (whole seconds), a little more before a request goes. */
const RESET_MARGIN_MS = 250;
/** How long the others wait for the first answer of a new window before they go anyway. */
const PROBE_MS = 1000;
