import type { Argv } from "yargs";
import { idOfRowKey } from "../../input/row-key.js";
import { readBatchStatus } from "../../run/batch-status.js";
import { secretsIn } from "../../run/secrets.js";
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
  target: LedgerTarget & { json: boolean; failed?: boolean; cwd?: string },
  envSecrets: readonly string[] = [],
  stdout: NodeJS.WritableStream = process.stdout,
): number {
  const status = readBatchStatus(resolveLedgerPath(target), {
    problems: target.failed === true,
    secrets: envSecrets,
    word: wordFlags,
    ...(target.cwd ? { cwd: target.cwd } : {}),
  });
  const { byStatus: counts, spend, runInProgress: running } = status;
  const problems = status.problems ?? [];
  if (target.json) {
    const summary = {
      ledger: status.ledger,
      provider: status.provider,
      rows: status.rows,
      byStatus: counts,
      tasksByState: status.tasksByState,
      spentUsd: roundUsd4(spend.totalUsd),
      unconfirmedUsd: roundUsd4(spend.estimatedUsd),
      unpricedTasks: spend.unpricedTasks,
      chargedCredits: spend.chargedCredits,
      spendByModel: status.spendByModel.map((m) => ({
        model: m.model,
        tasks: m.tasks,
        spentUsd: roundUsd4(m.usd),
        unconfirmedUsd: roundUsd4(m.estimatedUsd),
      })),
      marks: { keep: status.marks.keep ?? 0, redo: status.marks.redo ?? 0 },
      remainingEstimateUsd: roundUsd4(status.remainingUsd),
      runInProgress: running,
    };
    const failedRows = problems.map((p) => ({
      line: p.line,
      id: idOfRowKey(p.row_key) ?? null,
      status: p.status,
      error: p.error,
    }));
    stdout.write(`${JSON.stringify(target.failed ? { ...summary, failedRows } : summary)}\n`);
    return 0;
  }
  const out = [
    `Ledger: ${status.ledger}${status.provider ? ` (${status.provider})` : ""}`,
    `Rows: ${status.rows} — ${formatCounts(counts)}`,
    `Spent: ${formatUsd(spend.totalUsd)}${spend.estimatedUsd > 0 ? ` (${formatUsd(spend.estimatedUsd)} of it estimated until the provider reports it)` : ""}${spend.unpricedTasks > 0 ? `, plus ${spend.unpricedTasks} task(s) of unknown price` : ""}${spend.chargedCredits > 0 ? ` · ${spend.chargedCredits} credits charged` : ""}`,
    ...(status.spendByModel.length > 1
      ? status.spendByModel.map(
          (m) =>
            `  ${m.model}: ${formatUsd(m.usd)} over ${m.tasks} task(s)${m.estimatedUsd > 0 ? ` (${formatUsd(m.estimatedUsd)} estimated)` : ""}`,
        )
      : status.spendByModel.map((m) => `  all on ${m.model}: ${m.tasks} task(s)`)),
    `Still to submit: ${counts.pending ?? 0} row(s), estimated ${formatUsd(status.remainingUsd)}`,
    ...((status.marks.keep ?? 0) + (status.marks.redo ?? 0) > 0
      ? [
          `Reviewed: ${status.marks.keep ?? 0} marked Keep, ${status.marks.redo ?? 0} marked Redo${(status.marks.redo ?? 0) > 0 ? `; to redo them: ${status.redoCommand}` : ""}`,
        ]
      : []),
    running
      ? `A run is in progress (pid ${running.pid} on ${running.host}, since ${running.startedAt.slice(0, 19).replace("T", " ")} UTC).`
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
        `  line ${p.line}${idOfRowKey(p.row_key) !== undefined ? ` (${idOfRowKey(p.row_key)})` : ""}: ${p.status}: ${p.error ?? "no reason given"}`,
      );
  }
  stdout.write(`${out.join("\n")}\n`);
  return 0;
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
      {
        ...ledgerTargetOf(args, context),
        json: args.json,
        failed: args.failed,
        ...(context.cwd ? { cwd: context.cwd } : {}),
      },
      secretsIn(context.env),
      context.stdout,
    ),
};
