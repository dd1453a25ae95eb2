import { resolve } from "node:path";
import type Database from "better-sqlite3";
import type { Argv } from "yargs";
import { openLedger } from "../ledger/open-ledger.js";
import { defaultPaths } from "../run/paths.js";
import { UserError } from "../util/errors.js";

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

/** The input, --ledger and --out as given (relative to the command's folder), undefined ones left out. */
export function ledgerTargetOf(
  args: { input?: string | undefined; ledger?: string | undefined; out?: string | undefined },
  context: { cwd?: string },
): LedgerTarget & { out?: string } {
  const at = (p: string) => resolve(context.cwd ?? process.cwd(), p);
  return {
    ...(args.input ? { input: at(args.input) } : {}),
    ...(args.ledger ? { ledger: at(args.ledger) } : {}),
    ...(args.out ? { out: at(args.out) } : {}),
  };
}

export function resolveLedgerPath(target: LedgerTarget): string {
  if (target.ledger) return defaultPaths(target.ledger, { ledger: target.ledger }).ledger;
  if (target.input) return defaultPaths(target.input, {}).ledger;
  throw new UserError("USAGE", "Name the batch's input (e.g. prompts.csv) or its ledger (--ledger FILE).");
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
