import { existsSync, mkdirSync } from "node:fs";
import { basename, dirname } from "node:path";
import Database from "better-sqlite3";
import { UserError } from "../util/errors.js";
import { setting } from "../util/setting-name.js";
import { applyMigrations, checkSchemaVersion } from "./migrations.js";

/** A ledger that exists but cannot be opened: its folder does not let SQLite create its side files. */
function folderNotWritable(path: string, error: unknown): UserError {
  return new UserError(
    "LEDGER_READ_ONLY",
    `Cannot open the ledger ${path} (${(error as Error).message}): its folder is read-only or not accessible. SQLite creates ${basename(path)}-wal and -shm beside a ledger, even to read it; copy the ledger (with its -wal file) to a writable folder and point ${setting("paths.ledger")} there.`,
  );
}

/**
 * A connection that only reads. SQLite's read-only mode leaves the -wal and -shm files beside the
 * ledger when it closes (it may not remove them), so `status`, `export` and `report` would litter
 * the input's folder: a read-write connection with writes switched off (query_only) removes them
 * when it is the last to close, and leaves them to a run that still has the ledger open. A folder
 * that cannot be written falls back to SQLite's read-only mode.
 */
function openForReading(path: string): Database.Database {
  let db: Database.Database;
  try {
    db = new Database(path, { fileMustExist: true, timeout: 10_000 });
  } catch (error) {
    const code = (error as { code?: string }).code ?? "";
    if (!/^SQLITE_(READONLY|CANTOPEN|PERM)/.test(code) || !existsSync(path)) throw error;
    return new Database(path, { readonly: true, fileMustExist: true, timeout: 10_000 });
  }
  db.pragma("query_only = 1");
  return db;
}

/** Every ledger this process opened, so that a leak check can tell which are still open. */
const opened = new Set<Database.Database>();

/** How many ledgers this process has open now (tests fail one that leaves a ledger open). */
export function countOpenLedgers(): number {
  for (const db of opened) if (!db.open) opened.delete(db);
  return opened.size;
}

/**
 * Opens (or creates) a ledger. WAL lets `status` and `export` read while a run writes;
 * synchronous=FULL makes every committed transaction survive a power cut, not only a crash —
 * the ledger is the record of money spent, so durability beats the few writes per second saved.
 */
export function openLedger(path: string, options: { readonly?: boolean } = {}): Database.Database {
  let db: Database.Database;
  try {
    if (!options.readonly) mkdirSync(dirname(path), { recursive: true });
    db = options.readonly
      ? openForReading(path)
      : new Database(path, { readonly: false, fileMustExist: false, timeout: 10_000 });
  } catch (error) {
    const code = (error as { code?: string }).code;
    if (code === "SQLITE_CANTOPEN" && existsSync(path)) throw folderNotWritable(path, error);
    if (
      options.readonly &&
      (code === "SQLITE_CANTOPEN" || /directory does not exist|unable to open/i.test(String(error)))
    ) {
      throw new UserError(
        "LEDGER_MISSING",
        `No ledger at ${path}. Run "vidbatch run" on the input first, or point ${setting("paths.ledger")} at an existing ledger.`,
      );
    }
    throw new UserError("LEDGER_UNREADABLE", `Cannot open the ledger ${path}: ${(error as Error).message}`);
  }
  try {
    if (!options.readonly) {
      db.pragma("journal_mode = WAL");
      // Every commit survives a crash of this process (WAL); the commits that decide money are
      // also flushed to disk (task-store's `durable`), which flushes everything before them too.
      db.pragma("synchronous = NORMAL");
      db.pragma("foreign_keys = ON");
      applyMigrations(db);
    } else {
      const version = db.pragma("user_version", { simple: true }) as number;
      if (version === 0) throw new UserError("LEDGER_INVALID", `${path} is not a vidbatch ledger.`);
      // Reading a newer schema with this version's queries would fail, or worse, read it wrong.
      checkSchemaVersion(version);
    }
  } catch (error) {
    db.close();
    if (error instanceof UserError) throw error;
    const code = (error as { code?: unknown }).code;
    if (code === "SQLITE_CANTOPEN") throw folderNotWritable(path, error);
    if (code === "SQLITE_NOTADB" || (typeof code === "string" && code.startsWith("SQLITE_CORRUPT")))
      throw new UserError(
        "LEDGER_CORRUPT",
        `The ledger ${path} is damaged (${(error as Error).message}). Do not delete it (it holds the task ids you paid for): copy it aside, try "sqlite3 ${path} .recover > rescued.sql", or restore a backup; the provider's dashboard lists the tasks too.`,
      );
    if (typeof code === "string" && code.startsWith("SQLITE_READONLY"))
      throw new UserError(
        "LEDGER_READ_ONLY",
        `The ledger ${path} cannot be written (${(error as Error).message}): check its permissions and its folder's (SQLite writes a -wal file beside it), or copy it somewhere writable and point ${setting("paths.ledger")} there.`,
      );
    // A full disk and other faults of the machine: worded by the CLI from the error's code.
    if (typeof code === "string" && /^(SQLITE_(FULL|IOERR)|E[A-Z]+$)/.test(code)) throw error;
    throw new UserError("LEDGER_UNREADABLE", `Cannot use the ledger ${path}: ${(error as Error).message}`);
  }
  opened.add(db);
  return db;
}
