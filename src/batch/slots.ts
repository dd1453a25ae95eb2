/**
 * At most `capacity` tasks in flight at the provider (submitted, not yet finished). A counter and a
 * FIFO of waiters; `take()` admits a task that is already in flight (found in the ledger on resume)
 * even past capacity, since it occupies the provider whether we count it or not.
 */
export class Slots {
  private used = 0;
  private readonly waiters: (() => void)[] = [];

  constructor(readonly capacity: number) {}

  take(): void {
    this.used++;
  }

  acquire(signal: AbortSignal): Promise<void> {
    if (signal.aborted) return Promise.reject(signal.reason);
    if (this.used < this.capacity && this.waiters.length === 0) {
      this.used++;
      return Promise.resolve();
    }
    return new Promise((resolve, reject) => {
      const admit = () => {
        signal.removeEventListener("abort", onAbort);
        this.used++;
        resolve();
      };
      const onAbort = () => {
        const i = this.waiters.indexOf(admit);
        if (i >= 0) this.waiters.splice(i, 1);
        reject(signal.reason);
      };
      this.waiters.push(admit);
      signal.addEventListener("abort", onAbort, { once: true });
    });
  }

  release(): void {
    this.used = Math.max(0, this.used - 1);
    while (this.used < this.capacity && this.waiters.length > 0) this.waiters.shift()?.();
  }
}
