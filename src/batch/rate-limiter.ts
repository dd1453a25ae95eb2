import { sleep } from "../util/sleep.js";
import { SlidingWindow } from "./sliding-window.js";

/**
 * Keeps calls under a provider's rate limit: at most `max` per sliding `windowMs`, first come first
 * served, plus a shared pause after the provider says 429 (everyone waits, not just the caller that
 * was refused). `marginMs` widens the window a little because the provider counts arrivals, which
 * lag our departures by a varying amount.
 */
interface Waiter {
  /** The higher, the sooner (read when there is room; undefined: 0). */
  priority: (() => number) | undefined;
  seq: number;
  resolve: () => void;
  reject: (reason: unknown) => void;
  signal: AbortSignal;
  onAbort: () => void;
}

/**
 * Keeps calls under a provider's rate limit: at most `max` per sliding `windowMs`, plus a shared
 * pause after the provider says 429 (everyone waits, not just the caller that was refused).
 * `marginMs` widens the window a little because the provider counts arrivals, which lag our
 * departures by a varying amount. When callers wait for room, the one whose `priority` is highest
 * goes first (ties, and callers without one, first come first served): the status budget goes to
 * the checks likeliest to find a finished task.
 */
export class RateLimiter {
  private readonly window: SlidingWindow;
  private pausedUntil = 0;
  private readonly queue: Waiter[] = [];
  private seq = 0;
  private pumping = false;
  /** Cuts the pump's wait short when the last waiter leaves (no timer outlives the callers). */
  private idle = new AbortController();

  /** When the provider last refused a call for the rate (429), and when the allowance last grew back. */
  private refusedAt = 0;
  private raisedAt = 0;

  constructor(
    private readonly max: number,
    private readonly windowMs: number,
    marginMs = Math.min(500, windowMs * 0.05),
  ) {
    this.window = new SlidingWindow(max, windowMs + marginMs);
  }

  /**
   * The provider refused a call for its rate although this limiter let it through: something else
   * spends the same key (another run, another tool). The allowance drops by a third, and grows back
   * by one call per window every five seconds without a refusal (additive increase, multiplicative
   * decrease), so runs sharing a key settle under its limit together.
   */
  refused(now = Date.now()): void {
    if (now - this.refusedAt < 1000) return; // one burst of refusals is one signal
    this.refusedAt = now;
    this.raisedAt = now;
    this.window.max = Math.max(1, Math.floor(this.window.max * 0.67));
  }

  /** Calls a second this limiter allows now. */
  ratePerSecond(now = Date.now()): number {
    this.growBack(now);
    return (this.window.max * 1000) / this.windowMs;
  }

  private growBack(now: number): void {
    if (this.window.max >= this.max || now - this.raisedAt < 5000) return;
    this.raisedAt = now;
    this.window.max++;
  }

  acquire(signal: AbortSignal, priority?: () => number): Promise<void> {
    return new Promise((resolve, reject) => {
      if (signal.aborted) {
        reject(signal.reason);
        return;
      }
      const waiter: Waiter = { priority, seq: this.seq++, resolve, reject, signal, onAbort: () => {} };
      waiter.onAbort = () => {
        this.leave(waiter);
        reject(signal.reason);
      };
      signal.addEventListener("abort", waiter.onAbort, { once: true });
      this.queue.push(waiter);
      void this.pump();
    });
  }

  /**
   * When someone is waiting for this limiter: until when, and whether because the provider said
   * 429 (a pause) or because the window is full. Undefined when nobody waits.
   */
  blocked(now = Date.now()): { until: number; paused: boolean } | undefined {
    if (this.queue.length === 0) return undefined;
    const paused = this.pausedUntil > now;
    const wait = Math.max(this.pausedUntil - now, this.window.waitTime(now));
    return wait > 0 ? { until: now + wait, paused } : undefined;
  }

  pauseFor(ms: number): void {
    this.pausedUntil = Math.max(this.pausedUntil, Date.now() + ms);
  }

  private leave(waiter: Waiter): void {
    const at = this.queue.indexOf(waiter);
    if (at >= 0) this.queue.splice(at, 1);
    waiter.signal.removeEventListener("abort", waiter.onAbort);
    if (this.queue.length === 0) this.idle.abort();
  }

  /** The waiter to let through: the highest priority, the earliest among equals. */
  private next(): Waiter {
    let best = this.queue[0] as Waiter;
    let bestPriority = best.priority?.() ?? 0;
    for (const waiter of this.queue) {
      const p = waiter.priority?.() ?? 0;
      if (p > bestPriority || (p === bestPriority && waiter.seq < best.seq)) {
        best = waiter;
        bestPriority = p;
      }
    }
    return best;
  }

  private async pump(): Promise<void> {
    if (this.pumping) return;
    this.pumping = true;
    try {
      while (this.queue.length > 0) {
        const now = Date.now();
        this.growBack(now);
        const wait = Math.max(this.pausedUntil - now, this.window.waitTime(now));
        if (wait <= 0 && this.window.tryTake(now)) {
          const waiter = this.next();
          this.leave(waiter);
          waiter.resolve();
          continue;
        }
        if (this.idle.signal.aborted) this.idle = new AbortController();
        await sleep(Math.max(wait, 1), this.idle.signal).catch(() => undefined);
      }
    } finally {
      this.pumping = false;
    }
  }
}
