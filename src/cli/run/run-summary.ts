import { relative } from "node:path";
import type { BatchOutcome } from "../../batch/batch-context.js";
import type { Spend } from "../../ledger/summary.js";
import type { Plan } from "../../plan/plan-rows.js";
import type { Provider } from "../../providers/provider.js";
import type { Logger } from "../../util/logger.js";
import { EXIT } from "../exit-codes.js";
import { formatCounts, formatDuration, formatUsd, roundUsd4 } from "../format.js";
import type { BatchPaths } from "../paths.js";
import { describeWithInputs } from "./dry-run.js";

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
  log.info(
    `${outcome.interrupted ? "Stopped" : "Finished"} after ${formatDuration(end.elapsedMs)}: ${formatCounts(counts)}. ` +
      `Submitted this run: ${outcome.submitted}. Spent ${formatUsd(spend.totalUsd)}${spend.estimatedUsd > 0 ? ` (${formatUsd(spend.estimatedUsd)} of it estimated, not yet confirmed)` : ""}${spend.unpricedTasks > 0 ? `, plus ${spend.unpricedTasks} task(s) of unknown price` : ""}` +
      `${end.remainingUsd > 0 ? `; ${formatUsd(end.remainingUsd)} estimated for the rows still to submit` : ""}.`,
  );
  log.info(`Results: ${rel(paths.out)} · videos: ${rel(paths.videosDir)} · ledger: ${rel(paths.ledger)}`);
  if (outcome.stopReason) log.warn(`stopped early: ${outcome.stopReason.message}`);
  if (outcome.unpriced > 0)
    log.warn(
      `${outcome.unpriced} row(s) were not submitted: their price is unknown, so --max-cost cannot cover them. Add --allow-unknown-price to run them`,
    );
  else if ((end.exitCode === EXIT.resumable || end.exitCode >= 128) && outcome.stopReason?.code !== "quota")
    log.info("Run the same command again to resume.");
  if ((counts.unknown ?? 0) > 0)
    log.info(
      `${counts.unknown} row(s) are unknown: see the error column; --resubmit-unknown submits them again.`,
    );
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
    })}\n`,
  );
}

/** ", plus 3 rows of unknown price" (never counted as $0), or nothing. */
export function unknownPrice(rows: number): string {
  return rows > 0 ? `, plus ${rows} row(s) of unknown price` : "";
}
