import { resolve } from "node:path";
import type { Argv } from "yargs";
import { writeHtmlReport } from "../../output/html-report.js";
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

function reportOptions(y: Argv) {
  return ledgerTargetOptions(y)
    .option("out", {
      type: "string",
      describe: "HTML file (default <input>.report.html)",
    })
    .example("$0 report prompts.csv", "write prompts.report.html: a gallery with filters and search")
    .example("$0 report --ledger prompts.ledger.db --out gallery.html", "from the ledger alone");
}

/** Writes a static HTML gallery (default `<input>.report.html` beside the input). */
export async function reportCommand(
  target: LedgerTarget & { out?: string },
  secrets: readonly string[] = [],
  stderr: NodeJS.WritableStream = process.stderr,
): Promise<number> {
  const ledgerPath = resolveLedgerPath(target);
  // The same place a run writes it (paths.ts).
  const from = target.input ?? target.ledger;
  const out =
    target.out ??
    (from ? defaultPaths(from, target.ledger ? { ledger: target.ledger } : {}).report : undefined);
  if (!out)
    throw new UserError("USAGE", "Say where to write the report: --out FILE (or name the input CSV).");
  const file = resolve(out);
  const { rows } = await withLedgerReadOnly(ledgerPath, (db) =>
    writeHtmlReport(db, file, [...secrets, ...ledgerSecrets(db)], wordFlags, ledgerPath),
  );
  stderr.write(`Wrote a report of ${rows} rows to ${out}\n`);
  return 0;
}

export const reportCommandSpec = {
  command: "report [input]",
  describe: "static HTML gallery of the batch (videos, prompts, status, cost)",
  builder: reportOptions,
  handler: (args: { input?: string; ledger?: string; out?: string }, context: CommandContext) =>
    reportCommand(ledgerTargetOf(args, context), secretsIn(context.env), context.stderr),
};
