import { mkdirSync } from "node:fs";
import { dirname } from "node:path";
import Database from "better-sqlite3";
import { UserError } from "../util/errors.js";
import { applyMigrations } from "./migrations.js";

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
    db = new Database(path, {
      readonly: options.readonly ?? false,
      fileMustExist: options.readonly ?? false,
      timeout: 10_000,
    });
  } catch (error) {
    const code = (error as { code?: string }).code;
    if (
      options.readonly &&
      (code === "SQLITE_CANTOPEN" || /directory does not exist|unable to open/i.test(String(error)))
    ) {
      throw new UserError(
        "LEDGER_MISSING",
        `No ledger at ${path}. Run "vidbatch run" on the input first, or point --ledger at an existing ledger.`,
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
    }
  } catch (error) {
    db.close();
    if (error instanceof UserError) throw error;
    throw new UserError("LEDGER_UNREADABLE", `Cannot use the ledger ${path}: ${(error as Error).message}`);
  }
  opened.add(db);
  return db;
}
