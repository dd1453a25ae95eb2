import { mkdirSync } from "node:fs";
import { dirname } from "node:path";
import Database from "better-sqlite3";
import { UserError } from "../util/errors.js";
import { applyMigrations } from "./migrations.js";

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
        `No ledger at ${path}. Run "vidbatch run" on the input first, or point --ledger at an existing ledger.`,
        2,
        "LEDGER_MISSING",
      );
    }
    throw new UserError(
      `Cannot open the ledger ${path}: ${(error as Error).message}`,
      2,
      "LEDGER_UNREADABLE",
    );
  }
  try {
    if (!options.readonly) {
      db.pragma("journal_mode = WAL");
      db.pragma("synchronous = FULL");
      db.pragma("foreign_keys = ON");
      applyMigrations(db);
    } else {
      const version = db.pragma("user_version", { simple: true }) as number;
      if (version === 0) throw new UserError(`${path} is not a vidbatch ledger.`, 2, "LEDGER_INVALID");
    }
  } catch (error) {
    db.close();
    if (error instanceof UserError) throw error;
    throw new UserError(`Cannot use the ledger ${path}: ${(error as Error).message}`, 2, "LEDGER_UNREADABLE");
  }
  return db;
}
