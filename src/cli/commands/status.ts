import type { Argv } from "yargs";
import { idOfRowKey } from "../../input/row-key.js";
import { readMeta } from "../../ledger/batch-meta.js";
import { openLedger } from "../../ledger/open-ledger.js";
import { readRunLock } from "../../ledger/run-lock.js";
import { countByStatus, listRowsByStatus, readRemainingEstimate, readSpend } from "../../ledger/summary.js";
import { createTaskStore } from "../../ledger/task-store.js";
import { ledgerSecrets, secretsIn } from "../../run/secrets.js";
import { redactSecrets } from "../../util/redact.js";
import type { CommandContext } from "../command.js";
import { wordFlags } from "../flag-words.js";
import { formatCounts, formatUsd, roundUsd4 } from "../format.js";
import {
  type LedgerTarget,
  ledgerTargetOf,
  ledgerTargetOptions,
  resolveLedgerPath,
} from "../ledger-target.js";

function statusOptions(y: Argv) {
  return ledgerTargetOptions(y)
    .option("json", { type: "boolean", default: false, describe: "the summary as one JSON object on stdout" })
    .option("failed", {
      type: "boolean",
      default: false,
      describe: "list every failed, unknown and invalid row with its line, id and reason",
    })
    .example("$0 status prompts.csv", "where the batch of prompts.csv stands")
    .example("$0 status prompts.csv --failed", "every row that needs attention, and why")
    .example("$0 status --ledger runs/big.ledger.db --json", "for scripts");
}

/** Counts by status, spend so far and the estimate for what remains; safe while a run writes. */
export function statusCommand(
  target: LedgerTarget & { json: boolean; failed?: boolean },
  envSecrets: readonly string[] = [],
  stdout: NodeJS.WritableStream = process.stdout,
): number {
  const path = resolveLedgerPath(target);
  const db = openLedger(path, { readonly: true });
  try {
    // What the ledger holds was redacted when stored; a ledger from an older vidbatch may not be.
    const secrets = [...envSecrets, ...ledgerSecrets(db)];
    const clean = (text: string | null) => (text === null ? null : redactSecrets(wordFlags(text), secrets));
    const counts = countByStatus(db);
    const spend = readSpend(db);
    const remaining = readRemainingEstimate(db);
    const lock = readRunLock(db);
    const running = lock?.fresh ? lock : undefined;
    const rows = Object.values(counts).reduce((a, b) => a + b, 0);
    const summary = {
      ledger: path,
      provider: readMeta(db, "provider") ?? null,
      rows,
      byStatus: counts,
      tasksByState: createTaskStore(db).countByState(),
      spentUsd: roundUsd4(spend.totalUsd),
      unconfirmedUsd: roundUsd4(spend.estimatedUsd),
      unpricedTasks: spend.unpricedTasks,
      chargedCredits: spend.chargedCredits,
      remainingEstimateUsd: roundUsd4(remaining),
      runInProgress: running ? { pid: running.pid, host: running.host, startedAt: running.startedAt } : null,
    };
    const problems = target.failed ? listRowsByStatus(db, ["failed", "unknown", "invalid"]) : [];
    if (target.json) {
      const failedRows = problems.map((p) => ({
        line: p.line,
        id: idOfRowKey(p.row_key) ?? null,
        status: p.status,
        error: clean(p.error),
      }));
      stdout.write(`${JSON.stringify(target.failed ? { ...summary, failedRows } : summary)}\n`);
      return 0;
    }
    const out = [
      `Ledger: ${path}${summary.provider ? ` (${summary.provider})` : ""}`,
      `Rows: ${rows} — ${formatCounts(counts)}`,
      `Spent: ${formatUsd(spend.totalUsd)}${spend.estimatedUsd > 0 ? ` (${formatUsd(spend.estimatedUsd)} of it estimated until the provider reports it)` : ""}${spend.unpricedTasks > 0 ? `, plus ${spend.unpricedTasks} task(s) of unknown price` : ""}${spend.chargedCredits > 0 ? ` · ${spend.chargedCredits} credits charged` : ""}`,
      `Still to submit: ${counts.pending ?? 0} row(s), estimated ${formatUsd(remaining)}`,
      running
        ? `A run is in progress (pid ${running.pid} on ${running.host}, since ${running.startedAt}).`
        : "No run in progress.",
    ];
    if (target.failed) {
      out.push(
        problems.length === 0
          ? "No failed, unknown or invalid rows."
          : `${problems.length} row(s) need attention:`,
      );
      for (const p of problems)
        out.push(
          `  line ${p.line}${idOfRowKey(p.row_key) !== undefined ? ` (${idOfRowKey(p.row_key)})` : ""}: ${p.status}: ${clean(p.error) ?? "no reason given"}`,
        );
    }
    stdout.write(`${out.join("\n")}\n`);
    return 0;
  } finally {
    db.close();
  }
}

export const statusCommandSpec = {
  command: "status [input]",
  describe: "counts by status, spend so far, estimate of what remains",
  builder: statusOptions,
  handler: async (
    args: { input?: string; ledger?: string; json: boolean; failed: boolean },
    context: CommandContext,
  ) =>
    statusCommand(
      { ...ledgerTargetOf(args, context), json: args.json, failed: args.failed },
      secretsIn(context.env),
      context.stdout,
    ),
};
