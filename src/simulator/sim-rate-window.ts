/**
 * The simulator's own count of a provider's rate limit ("at most `max` requests in any `windowMs`"),
 * kept apart from the client's limiter so that the two can disagree: a client that sends too fast
 * is refused here, whatever the client believes.
 */
export class SimRateWindow {
  private accepted: number[] = [];

  constructor(
    readonly max: number,
    readonly windowMs: number,
  ) {}

  private inWindow(now: number): number[] {
    this.accepted = this.accepted.filter((t) => now - t < this.windowMs);
    return this.accepted;
  }

  /** Accepts a request at `now` if the window has room. */
  tryTake(now: number): boolean {
    if (this.inWindow(now).length >= this.max) return false;
    this.accepted.push(now);
    return true;
  }

  /** Requests accepted in the window that ends now. */
  count(now: number): number {
    return this.inWindow(now).length;
  }

  /** Milliseconds until one more request would be accepted. */
  waitTime(now: number): number {
    const accepted = this.inWindow(now);
    if (accepted.length < this.max) return 0;
    return (accepted[accepted.length - this.max] as number) + this.windowMs - now;
  }

  /** When the oldest accepted request leaves the window (now + window when none is in it). */
  nextExpiry(now: number): number {
    return (this.inWindow(now)[0] ?? now) + this.windowMs;
  }
}
