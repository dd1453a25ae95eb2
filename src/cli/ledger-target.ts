import type Database from "better-sqlite3";
import type { Argv } from "yargs";
import { openLedger } from "../ledger/open-ledger.js";
import { UserError } from "../util/errors.js";
import { defaultPaths } from "./paths.js";

/** status/export/report: the ledger is named by the input it sits beside, or directly. */
export interface LedgerTarget {
  input?: string;
  ledger?: string;
}

export function ledgerTargetOptions(y: Argv) {
  return y
    .positional("input", {
      type: "string",
      describe: "the input CSV (locates the ledger and results beside it)",
    })
    .option("ledger", { type: "string", describe: "the ledger file (default <input>.ledger.db)" });
}

/** The input or --ledger as given, undefined ones left out. */
export function ledgerTargetOf(args: {
  input?: string | undefined;
  ledger?: string | undefined;
}): LedgerTarget {
  return {
    ...(args.input ? { input: args.input } : {}),
    ...(args.ledger ? { ledger: args.ledger } : {}),
  };
}

export function resolveLedgerPath(target: LedgerTarget): string {
  if (target.ledger) return defaultPaths(target.ledger, { ledger: target.ledger }).ledger;
  if (target.input) return defaultPaths(target.input, {}).ledger;
  throw new UserError(
    "USAGE",
    "Name the input CSV (vidbatch status prompts.csv) or the ledger (--ledger FILE).",
  );
}

/** Opens the target's ledger read-only (safe while a run writes), runs `use`, and closes it. */
export async function withLedgerReadOnly<T>(
  path: string,
  use: (db: Database.Database) => T | Promise<T>,
): Promise<T> {
  const db = openLedger(path, { readonly: true });
  try {
    return await use(db);
  } finally {
    db.close();
  }
}
