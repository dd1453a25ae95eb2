import { openLedger } from "../ledger/open-ledger.js";
import { writeResultsCsv } from "../output/results-csv.js";
import { UserError } from "../util/errors.js";
import { defaultPaths } from "./paths.js";
import { type LedgerTarget, resolveLedgerPath } from "./status-command.js";

/** Rebuilds the results CSV from the ledger alone (the input CSV need not exist any more). */
export async function exportCommand(target: LedgerTarget & { out?: string }): Promise<number> {
  const ledgerPath = resolveLedgerPath(target);
  const out = target.out ?? (target.input ? defaultPaths(target.input, {}).out : undefined);
  if (!out)
    throw new UserError("Say where to write the results: --out FILE (or name the input CSV).", 2, "USAGE");
  const db = openLedger(ledgerPath, { readonly: true });
  try {
    const { rows } = await writeResultsCsv(db, defaultPaths(out, { out }).out);
    process.stderr.write(`Wrote ${rows} rows to ${out}\n`);
    return 0;
  } finally {
    db.close();
  }
}
