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
export function durableTransaction(db: Database.Database) {
  return <A extends unknown[], R>(fn: (...args: A) => R) => {
    const tx = db.transaction(fn);
    return (...args: A): R => {
      db.pragma("synchronous = FULL");
      try {
        return tx.immediate(...args);
      } finally {
        db.pragma("synchronous = NORMAL");
      }
    };
  };
}
