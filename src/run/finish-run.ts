import type Database from "better-sqlite3";
import type { BatchOutcome } from "../batch/batch-context.js";
import { isContentRefusal } from "../job/content-refusal.js";
import { listKeptFailed } from "../ledger/mark-store.js";
import type { RunStore } from "../ledger/run-store.js";
import { countByStatus, listRowsByStatus, readRemainingEstimate, readSpend } from "../ledger/summary.js";
import { writeHtmlReport } from "../output/html-report.js";
import { endingOf, exitCodeOf } from "./ending.js";
import { nextSteps } from "./next-steps.js";
import type { OpenedRun } from "./open-run.js";
import type { PlanSummary, RunReport } from "./run-report.js";

/** Failed or unknown rows listed in the report; the rest are a status query away. */
const FIRST_PROBLEMS = 5;

export interface FinishInput {
  db: Database.Database;
  runs: RunStore;
  runId: number;
  run: OpenedRun;
  outcome: BatchOutcome;
  plan: PlanSummary;
  /** Why the caller's signal aborted, if it did (a StopRequest names the exit code). */
  stopReason: unknown;
  resultsWrites: RunReport["resultsWrites"];
  redact: (text: string) => string;
  /** How the caller names settings in texts (RunIo.wordSettings). */
  word?: (text: string) => string;
  elapsedMs: number;
}

/** Records how the run ended in the ledger, writes the report, and says it all as data. */
export async function finishRun(input: FinishInput): Promise<RunReport> {
  const { db, outcome, run } = input;
  const counts = countByStatus(db);
  const ending = endingOf(outcome.interrupted, outcome.stopReason?.code, outcome.unresolved, counts);
  const exitCode = exitCodeOf(ending, input.stopReason);
  input.runs.finish(input.runId, {
    submitted: outcome.submitted,
    exitCode,
    stopReason: outcome.stopReason?.message ?? (outcome.interrupted ? "interrupted" : null),
  });
  const spend = readSpend(db);
  const remainingUsd = readRemainingEstimate(db);
  let reportWritten = false;
  if (run.settings.report) {
    try {
      await writeHtmlReport(db, run.paths.report, run.provider.secrets, input.word, run.paths.ledger);
      reportWritten = true;
    } catch (error) {
      run.log.warn(`the report could not be written: ${(error as Error).message}`);
    }
  }
  return {
    ending,
    exitCode,
    plan: input.plan,
    counts,
    submitted: outcome.submitted,
    spend,
    remainingUsd,
    ...(outcome.stopReason ? { stopReason: outcome.stopReason } : {}),
    unresolved: outcome.unresolved,
    notSubmittedUnknownPrice: outcome.unpriced,
    videosTooLarge: outcome.tooLarge,
    ...(outcome.callbacks ? { callbacks: outcome.callbacks } : {}),
    // Invalid rows need the user too (a fix in the sheet): they are listed with the others.
    problemCount: (counts.failed ?? 0) + (counts.unknown ?? 0) + (counts.invalid ?? 0),
    // Redacted before anyone cuts them short (a cut secret would no longer be recognised).
    problems: listRowsByStatus(db, ["failed", "unknown", "invalid"], FIRST_PROBLEMS).map((p) => ({
      ...p,
      error: p.error === null ? null : input.redact(p.error),
    })),
    next: nextSteps({
      counts,
      outcome,
      spentUsd: spend.totalUsd,
      remainingUsd,
      keptLines: listKeptFailed(db),
      refusedLines: listRowsByStatus(db, ["failed"])
        .filter((r) => isContentRefusal(r.error))
        .map((r) => r.line),
    }),
    paths: { ...run.paths, reportWritten },
    resultsWrites: input.resultsWrites,
    elapsedMs: input.elapsedMs,
  };
}
