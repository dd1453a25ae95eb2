import type Database from "better-sqlite3";
import { writeMeta } from "./batch-meta.js";
import { createJobStore, type SyncedRow, type SyncOutcome } from "./job-store.js";
import type { JobStatus } from "./types.js";

/** What the ledger keeps about the input a sync came from. */
export interface InputDescription {
  path: string;
  /** The headers passed through to the results, in order. */
  columns: readonly string[];
  provider: string;
  /** What the input and its settings hash to (plan/input-fingerprint.ts), kept once the sync lands. */
  fingerprint?: string;
}

export interface InputSync {
  /** Brings one row in line; returns what it was before and its status now. */
  row(row: SyncedRow): SyncOutcome;
  /** Lands the sync, with the input mapping the plan shows (Wireflow), for a later unchanged run. */
  commit(inputMapping?: readonly string[]): void;
  /** Undoes every row of this sync (safe to call after a failed commit, or twice). */
  rollback(): void;
}

/**
 * Syncs an input into the ledger in one IMMEDIATE transaction that spans the whole (streamed,
 * asynchronous) read: rows no longer in the input lose their position, every row present is placed
 * again, and either all of it lands or none. No other run can write meanwhile.
 */
export function beginInputSync(
  db: Database.Database,
  input: InputDescription,
  /** Removes every known secret from a row's error before it is stored. */
  redact?: (text: string) => string,
): InputSync {
  const jobs = createJobStore(db, redact);
  db.exec("BEGIN IMMEDIATE");
  try {
    jobs.beginSync();
    writeMeta(db, "input_columns", JSON.stringify(input.columns));
    writeMeta(db, "input_path", input.path);
    writeMeta(db, "provider", input.provider);
  } catch (error) {
    db.exec("ROLLBACK");
    throw error;
  }
  return {
    row: (row) => jobs.sync(row),
    commit(inputMapping: readonly string[] = []) {
      // In the same transaction: a fingerprint is only ever kept for a sync that landed whole.
      if (input.fingerprint) writeMeta(db, "input_fingerprint", input.fingerprint);
      else db.prepare("DELETE FROM batch_meta WHERE key = 'input_fingerprint'").run();
      writeMeta(db, "input_mapping", JSON.stringify(inputMapping));
      db.exec("COMMIT");
    },
    rollback() {
      if (db.inTransaction) db.exec("ROLLBACK");
    },
  };
}

/** A row's status in a ledger read without writing (a dry run); undefined when the row is new. */
export function createStatusLookup(db: Database.Database): (key: string) => JobStatus | undefined {
  const jobs = createJobStore(db);
  return (key) => jobs.statusOf(key);
}
