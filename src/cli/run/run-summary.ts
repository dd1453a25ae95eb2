import { relative } from "node:path";
import { truncate } from "../../input/parse-cells.js";
import { idOfRowKey } from "../../input/row-key.js";
import type { PlanSummary, RunReport } from "../../run/run-report.js";
import type { Logger } from "../../util/logger.js";
import type { CommandContext } from "../command.js";
import { formatCounts, formatDuration, formatUsd, roundUsd4 } from "../format.js";
import { shellLine, wordNextSteps } from "./next-steps.js";

export function logPlan(log: Logger, plan: PlanSummary): void {
  if (plan.providerLine) log.info(plan.providerLine);
  const provider = plan.provider;
  if (plan.limitsNote) log.info(`${provider} limits: ${plan.limitsNote}`);
  log.info(
    `${plan.rows} rows (${plan.textToVideo} text-to-video, ${plan.imageToVideo} image-to-video${plan.invalid ? `, ${plan.invalid} invalid` : ""}) on ${provider}; ` +
      `${formatCounts(plan.byStatus)}. Estimated ${formatUsd(plan.toSubmitUsd)} for the rows to submit${unknownPrice(plan.unknownPriceRows)}.`,
  );
}

/** The closing lines on stderr, what to do next, and with --json the one summary object on stdout. */
export function reportRunEnd(
  log: Logger,
  report: RunReport,
  how: { argv: readonly string[]; json: boolean; context: CommandContext },
): void {
  const { counts, spend, paths } = report;
  const cwd = how.context.cwd ?? process.cwd();
  const rel = (p: string) => relative(cwd, p) || ".";
  const next = wordNextSteps(how.argv, report.next);
  log.close();
  log.summary(
    `${report.ending === "interrupted" ? "Stopped" : "Finished"} after ${formatDuration(report.elapsedMs)}: ${formatCounts(counts)}. ` +
      `Submitted this run: ${report.submitted}. Spent ${formatUsd(spend.totalUsd)}${spend.estimatedUsd > 0 ? ` (${formatUsd(spend.estimatedUsd)} of it estimated, not yet confirmed)` : ""}${spend.unpricedTasks > 0 ? `, plus ${spend.unpricedTasks} task(s) of unknown price` : ""}` +
      `${report.remainingUsd > 0 ? `; ${formatUsd(report.remainingUsd)} estimated for the rows still to submit` : ""}.`,
  );
  const cb = report.callbacks;
  if (cb)
    log.summary(
      `Callbacks: ${cb.received} received (${cb.used} used, ${cb.ignored} ignored as repeats, late or not ours${cb.refused > 0 ? `, ${cb.refused} refused: bad signature` : ""}).`,
    );
  if (report.stopReason) log.warn(`stopped early: ${report.stopReason.message}`);
  if (report.notSubmittedUnknownPrice > 0)
    log.warn(
      `${report.notSubmittedUnknownPrice} row(s) were not submitted: their price is unknown, so --max-cost cannot cover them`,
    );
  const problems = report.problems;
  if (problems.length > 0) {
    const total = report.problemCount;
    log.summary(
      `${total} row(s) need attention${total > problems.length ? ` (the first ${problems.length})` : ""}:`,
    );
    for (const p of problems)
      log.summary(
        `  - line ${p.line}${idOfRowKey(p.row_key) !== undefined ? ` (${idOfRowKey(p.row_key)})` : ""}: ${p.status}: ${truncate(p.error ?? "no reason given", 160)}`,
      );
    if (total > problems.length)
      log.summary(
        `  All of them: vidbatch status --failed ${shellLine([how.argv[1] ?? ""])}, or the report.`,
      );
  }
  log.summary(
    `Results: ${rel(paths.out)} · videos: ${rel(paths.videosDir)}${paths.reportWritten ? ` · report: ${rel(paths.report)}` : ""} · ledger: ${rel(paths.ledger)}`,
  );
  for (const step of next) log.summary(`Next: ${step}`);
  if (!how.json) return;
  (how.context.stdout ?? process.stdout).write(
    `${JSON.stringify({
      exitCode: report.exitCode,
      rows: report.plan.rows,
      byStatus: counts,
      submitted: report.submitted,
      spentUsd: roundUsd4(spend.totalUsd),
      unconfirmedUsd: roundUsd4(spend.estimatedUsd),
      unpricedTasks: spend.unpricedTasks,
      notSubmittedUnknownPrice: report.notSubmittedUnknownPrice,
      remainingEstimateUsd: roundUsd4(report.remainingUsd),
      stopReason: report.stopReason?.code ?? (report.ending === "interrupted" ? "interrupted" : null),
      results: paths.out,
      ledger: paths.ledger,
      videosDir: paths.videosDir,
      report: paths.reportWritten ? paths.report : null,
      next,
      ...(report.callbacks ? { callbacks: report.callbacks } : {}),
    })}\n`,
  );
}

/** ", plus 3 rows of unknown price" (never counted as $0), or nothing. */
export function unknownPrice(rows: number): string {
  return rows > 0 ? `, plus ${rows} row(s) of unknown price` : "";
}

/** With --limit or --rows: how many of the pending rows this run submits, and their estimate. */
export function logSelection(
  log: Logger,
  options: { limit?: number; rows?: [number, number][] },
  pending: number,
  selected: { rows: number; usd: number },
): void {
  const how = [options.limit !== undefined ? `--limit ${options.limit}` : "", options.rows ? "--rows" : ""]
    .filter(Boolean)
    .join(", ");
  log.info(
    `This run submits ${selected.rows} of the ${pending} pending row(s) (${how}), estimated ${formatUsd(selected.usd)}; the rest stay pending.`,
  );
}
