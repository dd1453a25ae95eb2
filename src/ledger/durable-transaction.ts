import type Database from "better-sqlite3";

/**
 * Wraps `fn` in a transaction that must survive a power cut, not only a crash: committed with
 * synchronous=FULL (the WAL is flushed to disk, with every commit before it). The intent before a
 * create is sent, and the task id when it comes back, are what stand between a user and a lost or
 * doubly paid task; routine progress rides on the next flush.
 *
 * IMMEDIATE: the write lock is taken before anything is read, so a check made inside (the lock's
 * owner, the attempt number) still holds when the write commits.
 */
export function durableTransaction(
  db: Database.Database,
  /**
   * Called when the disk is full: frees the room kept for these writes (disk-reserve.ts) and says
   * whether it did; the write is then tried once more. A task id that came back is never lost to
   * the last bytes of a disk filling up meanwhile.
   */
  onFull: () => boolean = () => false,
) {
  return <A extends unknown[], R>(fn: (...args: A) => R) => {
    const tx = db.transaction(fn);
    return (...args: A): R => {
      db.pragma("synchronous = FULL");
      try {
        try {
          return tx.immediate(...args);
        } catch (error) {
          if ((error as { code?: unknown }).code !== "SQLITE_FULL" || !onFull()) throw error;
          return tx.immediate(...args);
        }
      } finally {
        db.pragma("synchronous = NORMAL");
      }
    };
  };
}
