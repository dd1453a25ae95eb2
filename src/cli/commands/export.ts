import { basename, dirname, extname, join } from "node:path";
import type { Argv } from "yargs";
import { writeMarksCsv } from "../../output/marks-csv.js";
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
    .option("marks", {
      type: "boolean",
      default: false,
      describe: "write the review's marks instead (id, line, mark, note; default <input>.marks.csv)",
    })
    .example("$0 export prompts.csv", "rebuild prompts.results.csv from the ledger alone")
    .example("$0 export prompts.csv --marks", "the Keep/Redo marks and notes made in vidbatch review")
    .example("$0 export --ledger prompts.ledger.db --out copy.csv", "to another file");
}

/** Rebuilds the results CSV from the ledger alone (the input CSV need not exist any more). */
export async function exportCommand(
  target: LedgerTarget & { out?: string; marks?: boolean },
  secrets: readonly string[] = [],
  stderr: NodeJS.WritableStream = process.stderr,
): Promise<number> {
  const ledgerPath = resolveLedgerPath(target);
  if (target.marks) {
    const from = target.input ?? ledgerPath;
    const out =
      target.out ??
      join(dirname(from), `${basename(from, extname(from)).replace(/\.ledger$/i, "")}.marks.csv`);
    const { rows } = await withLedgerReadOnly(ledgerPath, (db) => writeMarksCsv(db, out));
    stderr.write(`Wrote the marks of ${rows} rows to ${out}\n`);
    return 0;
  }
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
  handler: (
    args: { input?: string; ledger?: string; out?: string; marks: boolean },
    context: CommandContext,
  ) =>
    exportCommand(
      { ...ledgerTargetOf(args, context), marks: args.marks },
      secretsIn(context.env),
      context.stderr,
    ),
};
