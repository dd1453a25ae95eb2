import { sleep } from "../util/sleep.js";
import { SlidingWindow } from "./sliding-window.js";

/**
 * Keeps calls under a provider's rate limit: at most `max` per sliding `windowMs`, first come first
 * served, plus a shared pause after the provider says 429 (everyone waits, not just the caller that
 * was refused). `marginMs` widens the window a little because the provider counts arrivals, which
 * lag our departures by a varying amount.
 */
export class RateLimiter {
  private readonly window: SlidingWindow;
  private pausedUntil = 0;
  private tail: Promise<void> = Promise.resolve();
  private waiters = 0;

  constructor(max: number, windowMs: number, marginMs = Math.min(500, windowMs * 0.05)) {
    this.window = new SlidingWindow(max, windowMs + marginMs);
  }

  acquire(signal: AbortSignal): Promise<void> {
    this.waiters++;
    const turn = this.tail.then(() => this.waitForRoom(signal));
    const settled = turn.finally(() => this.waiters--);
    this.tail = settled.catch(() => undefined); // one aborted waiter must not block those behind it
    return settled;
  }

  /**
   * When someone is waiting for this limiter: until when, and whether because the provider said
   * 429 (a pause) or because the window is full. Undefined when nobody waits.
   */
  blocked(now = Date.now()): { until: number; paused: boolean } | undefined {
    if (this.waiters === 0) return undefined;
    const paused = this.pausedUntil > now;
    const wait = Math.max(this.pausedUntil - now, this.window.waitTime(now));
    return wait > 0 ? { until: now + wait, paused } : undefined;
  }

  pauseFor(ms: number): void {
    this.pausedUntil = Math.max(this.pausedUntil, Date.now() + ms);
  }

  private async waitForRoom(signal: AbortSignal): Promise<void> {
    for (;;) {
      if (signal.aborted) throw signal.reason;
      const now = Date.now();
      const wait = Math.max(this.pausedUntil - now, this.window.waitTime(now));
      if (wait <= 0 && this.window.tryTake(now)) return;
      await sleep(Math.max(wait, 1), signal);
    }
  }
}
