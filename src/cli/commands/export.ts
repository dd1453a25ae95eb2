import type { Argv } from "yargs";
import { writeResultsCsv } from "../../output/results-csv.js";
import { defaultPaths } from "../../run/paths.js";
import { ledgerSecrets, secretsIn } from "../../run/secrets.js";
import { UserError } from "../../util/errors.js";
import type { CommandContext } from "../command.js";
import { wordFlags } from "../flag-words.js";
import {
  type LedgerTarget,
  ledgerTargetOf,
  ledgerTargetOptions,
  resolveLedgerPath,
  withLedgerReadOnly,
} from "../ledger-target.js";

function exportOptions(y: Argv) {
  return ledgerTargetOptions(y)
    .option("out", {
      type: "string",
      describe: "results CSV (default <input>.results.csv)",
    })
    .example("$0 export prompts.csv", "rebuild prompts.results.csv from the ledger alone")
    .example("$0 export --ledger prompts.ledger.db --out copy.csv", "to another file");
}

/** Rebuilds the results CSV from the ledger alone (the input CSV need not exist any more). */
export async function exportCommand(
  target: LedgerTarget & { out?: string },
  secrets: readonly string[] = [],
  stderr: NodeJS.WritableStream = process.stderr,
): Promise<number> {
  const ledgerPath = resolveLedgerPath(target);
  const out = target.out ?? (target.input ? defaultPaths(target.input, {}).out : undefined);
  if (!out)
    throw new UserError("USAGE", "Say where to write the results: --out FILE (or name the input CSV).");
  const { rows } = await withLedgerReadOnly(ledgerPath, (db) =>
    writeResultsCsv(db, defaultPaths(out, { out }).out, [...secrets, ...ledgerSecrets(db)], wordFlags),
  );
  stderr.write(`Wrote ${rows} rows to ${out}\n`);
  return 0;
}

export const exportCommandSpec = {
  command: "export [input]",
  describe: "rewrite the results CSV from the ledger",
  builder: exportOptions,
  handler: (args: { input?: string; ledger?: string; out?: string }, context: CommandContext) =>
    exportCommand(ledgerTargetOf(args, context), secretsIn(context.env), context.stderr),
};
