import type { TaskSnapshot } from "../providers/provider.js";

/**
 * Why a task was woken before its next scheduled check: a callback. A `snapshot` is given only when
 * the callback's signature verified (its body can be taken as the task's state with no status call).
 */
export interface Wakeup {
  snapshot?: TaskSnapshot;
}

/**
 * Lets a callback cut a task's sleep short. A task that is being followed is `open`; a wakeup that
 * comes while it is not asleep (a status call on the wire) is kept for its next sleep, and a
 * verified snapshot is never replaced by a plain wakeup.
 */
export class TaskWakeups {
  private readonly open = new Set<number>();
  private readonly pending = new Map<number, Wakeup>();
  private readonly sleepers = new Map<number, (wakeup: Wakeup) => void>();
  /** Woken and not asleep again yet: its status call for that wakeup is under way. */
  private readonly checking = new Set<number>();

  /** Marks a task as followed (wakeups for it are kept from now on). */
  follow(taskRowId: number): void {
    this.open.add(taskRowId);
  }

  /** The task is no longer followed: drops anything pending for it. */
  forget(taskRowId: number): void {
    this.open.delete(taskRowId);
    this.pending.delete(taskRowId);
    this.sleepers.delete(taskRowId);
    this.checking.delete(taskRowId);
  }

  isFollowed(taskRowId: number): boolean {
    return this.open.has(taskRowId);
  }

  /**
   * Keeps a wakeup for a task that is about to be followed (its create answer is still being
   * recorded, or it was just found): its first sleep returns at once.
   */
  prime(taskRowId: number, wakeup: Wakeup): void {
    const before = this.pending.get(taskRowId);
    if (!before?.snapshot || wakeup.snapshot) this.pending.set(taskRowId, wakeup);
  }

  /**
   * Wakes a followed task. `duplicate`: a plain wakeup for a task already woken (its check is under
   * way or queued), e.g. a repeated callback; `unfollowed`: nobody follows the task in this run.
   */
  wake(taskRowId: number, wakeup: Wakeup): "woken" | "duplicate" | "unfollowed" {
    if (!this.open.has(taskRowId)) return "unfollowed";
    const sleeper = this.sleepers.get(taskRowId);
    if (sleeper) {
      this.sleepers.delete(taskRowId);
      this.checking.add(taskRowId);
      sleeper(wakeup);
      return "woken";
    }
    const before = this.pending.get(taskRowId);
    if (!wakeup.snapshot && (before || this.checking.has(taskRowId))) return "duplicate";
    if (!before?.snapshot || wakeup.snapshot) this.pending.set(taskRowId, wakeup);
    return "woken";
  }

  /**
   * Sleeps `ms` unless woken: resolves with the wakeup, or undefined when the time is up. Rejects
   * with the signal's reason when it aborts.
   */
  sleep(taskRowId: number, ms: number, signal: AbortSignal): Promise<Wakeup | undefined> {
    const early = this.pending.get(taskRowId);
    if (early) {
      this.pending.delete(taskRowId);
      this.checking.add(taskRowId);
      return Promise.resolve(early);
    }
    this.checking.delete(taskRowId);
    return new Promise((resolve, reject) => {
      if (signal.aborted) {
        reject(signal.reason);
        return;
      }
      const done = () => {
        clearTimeout(timer);
        signal.removeEventListener("abort", onAbort);
        if (this.sleepers.get(taskRowId) === onWake) this.sleepers.delete(taskRowId);
      };
      const onWake = (wakeup: Wakeup) => {
        done();
        resolve(wakeup);
      };
      const onAbort = () => {
        done();
        reject(signal.reason);
      };
      const timer = setTimeout(
        () => {
          done();
          resolve(undefined);
        },
        Math.max(0, ms),
      );
      this.sleepers.set(taskRowId, onWake);
      signal.addEventListener("abort", onAbort, { once: true });
    });
  }
}
