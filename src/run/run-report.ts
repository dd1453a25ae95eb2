import type { BatchOutcome, StopReasonCode } from "../batch/batch-context.js";
import type { ProblemRow, Spend } from "../ledger/summary.js";
import type { PriceLine } from "../plan/plan-rows.js";
import type { BatchPaths } from "./paths.js";

/** The input as planned against the ledger. */
export interface PlanSummary {
  /** The provider's name (kie, kling, wireflow). */
  provider: string;
  rows: number;
  invalid: number;
  textToVideo: number;
  imageToVideo: number;
  /** Rows by the status they have in the ledger after planning (new rows are pending). */
  byStatus: Record<string, number>;
  /** Estimated cost of the pending rows that have a known price. */
  toSubmitUsd: number;
  /** Pending rows whose price no documented table gives (never counted as $0). */
  unknownPriceRows: number;
  /** Pending rows by model, mode, duration and sound, with the unit price (undefined: unknown). */
  priceLines: PriceLine[];
  /** The provider's own line about itself, and which column fills which of its inputs. */
  providerLine?: string;
  /** The provider's limits, in words, when they are not the obvious ones. */
  limitsNote?: string;
}

/**
 * What to do next, as data (the CLI words each as a command line):
 * - raise-max-cost: a USD budget stopped the run; about `costUsd` covers the rest;
 * - raise-max-credits: the budget in the provider's unit stopped it;
 * - raise-max-video-bytes: videos larger than the cap are paid and wait for a larger one;
 * - free-disk, top-up, wait-for-quota, fix-key: what stopped it, then resume;
 * - allow-unknown-price: rows of unknown price were held back by a budget;
 * - resume: rows are left for another run; retry-failed, resubmit-unknown, fix-invalid: rows to act on;
 * - edit-refused: rows the content filter refused, on these lines: edit their prompts (the next run
 *   submits an edited failed row again).
 */
export type NextStep =
  | { kind: "raise-max-cost"; costUsd: number }
  | { kind: "raise-max-credits" }
  | { kind: "raise-max-video-bytes"; videos: number }
  | { kind: "free-disk" }
  | { kind: "allow-unknown-price"; rows: number }
  | { kind: "top-up" }
  | { kind: "wait-for-quota" }
  | { kind: "fix-key" }
  | { kind: "resume" }
  | { kind: "retry-failed"; rows: number }
  /** Rows the provider's content filter refused: the same prompt would be refused again. */
  | { kind: "edit-refused"; lines: number[] }
  | { kind: "resubmit-unknown"; rows: number }
  | { kind: "fix-invalid"; rows: number };

/**
 * How the run ended: finished (every row succeeded), rows-failed (finished, some rows failed, are
 * invalid or unknown), resumable (stopped early or left work: the same run resumes), interrupted
 * (the caller's signal stopped it).
 */
export type RunEnding = "finished" | "rows-failed" | "resumable" | "interrupted";

export interface RunReport {
  ending: RunEnding;
  /** What the CLI exits with for this ending (also kept in the ledger's runs table). */
  exitCode: number;
  plan: PlanSummary;
  /** Every row of the ledger by status, at the end. */
  counts: Record<string, number>;
  /** Tasks created this run. */
  submitted: number;
  spend: Spend;
  /** Estimate of the rows still to submit. */
  remainingUsd: number;
  stopReason?: { code: StopReasonCode; message: string };
  /** Rows left unfinished for a later run. */
  unresolved: number;
  /** Rows not submitted because a budget is set and their price is unknown. */
  notSubmittedUnknownPrice: number;
  /** Videos not downloaded because they are larger than the cap (paid; a larger cap fetches them). */
  videosTooLarge: number;
  callbacks?: BatchOutcome["callbacks"];
  /** Failed or unknown rows: how many, and the first few with line and reason (redacted). */
  problemCount: number;
  problems: ProblemRow[];
  next: NextStep[];
  paths: BatchPaths & { reportWritten: boolean };
  /** How often the results CSV was rewritten during the run, the last write's cost, the gap used. */
  resultsWrites: { writes: number; lastMs: number; gapMs: number };
  elapsedMs: number;
}
