/**
 * Counts events in a sliding time window: how the engine stays under a provider's rate limit.
 * (The simulator counts with its own implementation, so that the two can disagree.)
 */
export class SlidingWindow {
  private readonly times: number[] = [];

  constructor(
    /** Events allowed per window: lowered while the provider refuses (RateLimiter.refused). */
    public max: number,
    readonly windowMs: number,
  ) {}

  private prune(now: number): void {
    while (this.times.length > 0 && (this.times[0] as number) <= now - this.windowMs) this.times.shift();
  }

  /** Milliseconds until one more event fits (0 when it fits now). */
  waitTime(now: number): number {
    this.prune(now);
    if (this.times.length < this.max) return 0;
    return (this.times[0] as number) + this.windowMs - now;
  }

  /** Events inside the window now. */
  count(now: number): number {
    this.prune(now);
    return this.times.length;
  }

  /** When the oldest event in the window leaves it (now + the window when there is none). */
  nextExpiry(now: number): number {
    this.prune(now);
    return (this.times[0] ?? now) + this.windowMs;
  }

  /** Records an event if it fits and says whether it did. */
  tryTake(now: number): boolean {
    if (this.waitTime(now) > 0) return false;
    this.times.push(now);
    return true;
  }
}
