import { sleep } from "../util/sleep.js";

/**
 * Tells waiters that one of this run's tasks finished (a slot at the provider came free). Each
 * finish wakes one waiter, first come first served, so a finish brings one create, not a crowd.
 */
export class TaskFinishes {
  private readonly waiters: (() => void)[] = [];

  /** Resolves at the next finish this waiter is first in line for, or after `ms` (rejects on abort). */
  async next(ms: number, signal: AbortSignal): Promise<void> {
    const woken = new AbortController();
    const wake = () => woken.abort();
    this.waiters.push(wake);
    try {
      await sleep(ms, AbortSignal.any([signal, woken.signal]));
    } catch (error) {
      if (signal.aborted || !woken.signal.aborted) throw error;
    } finally {
      const at = this.waiters.indexOf(wake);
      if (at >= 0) this.waiters.splice(at, 1);
    }
  }

  finished(): void {
    this.waiters.shift()?.();
  }
}
