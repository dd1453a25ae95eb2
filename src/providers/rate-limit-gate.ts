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

  async wait(signal?: AbortSignal): Promise<void> {
    const ms = this.waitTime();
    if (ms > 0) await sleep(ms + 50, signal);
    if (this.remaining !== undefined && this.remaining <= 0 && Date.now() >= this.resetAtMs)
      this.remaining = undefined; // a new window: unknown until the next answer says
    else if (this.remaining !== undefined) this.remaining--; // count our own request in flight
  }
}
