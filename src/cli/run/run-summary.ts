import { relative } from "node:path";
import type { BatchOutcome } from "../../batch/batch-context.js";
import { truncate } from "../../input/parse-cells.js";
import type { ProblemRow, Spend } from "../../ledger/summary.js";
import type { Plan } from "../../plan/plan-rows.js";
import type { Provider } from "../../providers/provider.js";
import type { Logger } from "../../util/logger.js";
import { formatCounts, formatDuration, formatUsd, roundUsd4 } from "../format.js";
import type { BatchPaths } from "../paths.js";
import { describeWithInputs } from "./dry-run.js";
import { shellLine } from "./next-steps.js";

export function logPlan(log: Logger, plan: Plan, provider: Provider): void {
  if (provider.describe) log.info(describeWithInputs(provider, plan.inputMapping));
  if (provider.limitsNote) log.info(`${provider.name} limits: ${provider.limitsNote}`);
  log.info(
    `${plan.rows} rows (${plan.textToVideo} text-to-video, ${plan.imageToVideo} image-to-video${plan.invalid ? `, ${plan.invalid} invalid` : ""}) on ${provider.name}; ` +
      `${formatCounts(plan.byStatus)}. Estimated ${formatUsd(plan.toSubmitUsd)} for the rows to submit${unknownPrice(plan.unknownPriceRows)}.`,
  );
}

export interface RunEnd {
  exitCode: number;
  /** The command as given, from `run` on. */
  argv: readonly string[];
  /** The first rows that failed or are unknown, with line and reason. */
  problems: ProblemRow[];
  /** What to run next, with the exact commands. */
  next: string[];
  reportPath?: string;
  plan: Plan;
  outcome: BatchOutcome;
  counts: Record<string, number>;
  spend: Spend;
  remainingUsd: number;
  paths: BatchPaths;
  elapsedMs: number;
}

/** The closing lines on stderr, what to do next, and with --json the one summary object on stdout. */
export function reportRunEnd(log: Logger, end: RunEnd, json: boolean): void {
  const { outcome, counts, spend, paths } = end;
  const rel = (p: string) => relative(process.cwd(), p) || ".";
  log.close();
  log.summary(
    `${outcome.interrupted ? "Stopped" : "Finished"} after ${formatDuration(end.elapsedMs)}: ${formatCounts(counts)}. ` +
      `Submitted this run: ${outcome.submitted}. Spent ${formatUsd(spend.totalUsd)}${spend.estimatedUsd > 0 ? ` (${formatUsd(spend.estimatedUsd)} of it estimated, not yet confirmed)` : ""}${spend.unpricedTasks > 0 ? `, plus ${spend.unpricedTasks} task(s) of unknown price` : ""}` +
      `${end.remainingUsd > 0 ? `; ${formatUsd(end.remainingUsd)} estimated for the rows still to submit` : ""}.`,
  );
  const cb = outcome.callbacks;
  if (cb)
    log.summary(
      `Callbacks: ${cb.received} received (${cb.used} used, ${cb.ignored} ignored as repeats, late or not ours${cb.refused > 0 ? `, ${cb.refused} refused: bad signature` : ""}).`,
    );
  if (outcome.stopReason) log.warn(`stopped early: ${outcome.stopReason.message}`);
  if (outcome.unpriced > 0)
    log.warn(
      `${outcome.unpriced} row(s) were not submitted: their price is unknown, so --max-cost cannot cover them`,
    );
  const problems = end.problems;
  if (problems.length > 0) {
    const total = (counts.failed ?? 0) + (counts.unknown ?? 0);
    log.summary(
      `${total} row(s) need attention${total > problems.length ? ` (the first ${problems.length})` : ""}:`,
    );
    for (const p of problems)
      log.summary(
        `  - line ${p.line}${p.row_key.startsWith("id:") ? ` (${p.row_key.slice(3)})` : ""}: ${p.status}: ${truncate(p.error ?? "no reason given", 160)}`,
      );
    if (total > problems.length)
      log.summary(
        `  All of them: vidbatch status --failed ${shellLine([end.argv[1] ?? ""])}, or the report.`,
      );
  }
  log.summary(
    `Results: ${rel(paths.out)} · videos: ${rel(paths.videosDir)}${end.reportPath ? ` · report: ${rel(end.reportPath)}` : ""} · ledger: ${rel(paths.ledger)}`,
  );
  for (const step of end.next) log.summary(`Next: ${step}`);
  if (!json) return;
  process.stdout.write(
    `${JSON.stringify({
      exitCode: end.exitCode,
      rows: end.plan.rows,
      byStatus: counts,
      submitted: outcome.submitted,
      spentUsd: roundUsd4(spend.totalUsd),
      unconfirmedUsd: roundUsd4(spend.estimatedUsd),
      unpricedTasks: spend.unpricedTasks,
      notSubmittedUnknownPrice: outcome.unpriced,
      remainingEstimateUsd: roundUsd4(end.remainingUsd),
      stopReason: outcome.stopReason?.code ?? (outcome.interrupted ? "interrupted" : null),
      results: paths.out,
      ledger: paths.ledger,
      videosDir: paths.videosDir,
      report: end.reportPath ?? null,
      next: end.next,
      ...(outcome.callbacks ? { callbacks: outcome.callbacks } : {}),
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
  estimate: (select: { limit?: number; lines?: [number, number][] }) => { rows: number; usd: number },
): void {
  if (options.limit === undefined && !options.rows) return;
  const selected = estimate({
    ...(options.limit !== undefined ? { limit: options.limit } : {}),
    ...(options.rows ? { lines: options.rows } : {}),
  });
  const how = [options.limit !== undefined ? `--limit ${options.limit}` : "", options.rows ? "--rows" : ""]
    .filter(Boolean)
    .join(", ");
  log.info(
    `This run submits ${selected.rows} of the ${pending} pending row(s) (${how}), estimated ${formatUsd(selected.usd)}; the rest stay pending.`,
  );
}
