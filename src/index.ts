/**
 * vidbatch as a library: one run of a batch is a function. What is exported here is a promise
 * (semver): the run and price functions, their settings, events and reports, and the logger that
 * prints the way the CLI does. The simulator has its own entry, `vidbatch/simulator`.
 */

export type { WaitReason } from "./batch/batch-context.js";
export type { EngineTimings, RowSelection } from "./batch/engine-settings.js";
export { DEFAULT_TIMINGS } from "./batch/engine-settings.js";
export type { ProblemRow, Spend } from "./ledger/summary.js";
export type { JobStatus } from "./ledger/types.js";
export type { PriceLine } from "./plan/plan-rows.js";
export type { Rate } from "./providers/provider.js";
export type { ProviderName } from "./providers/provider-names.js";
export { type BatchStatus, readBatchStatus } from "./run/batch-status.js";
export { StopRequest } from "./run/ending.js";
export { EXIT } from "./run/exit-codes.js";
export type { BatchPaths } from "./run/paths.js";
export { type PriceReport, priceBatch } from "./run/price-batch.js";
export { DEFAULT_REVIEW_PORT, type ReviewSettings, startReview } from "./run/review-batch.js";
export type { RunEvent, RunIo } from "./run/run-io.js";
export type { NextStep, PlanSummary, RunEnding, RunReport } from "./run/run-report.js";
export { runVideoBatch } from "./run/run-video-batch.js";
export type { CallbackListen, RunPaths, RunSettings, RunSettingsInput } from "./run/settings.js";
export { DEFAULT_SETTINGS } from "./run/settings.js";
export { type ErrorCode, UserError } from "./util/errors.js";
export { createLogger, type Logger, type LoggerOptions } from "./util/logger.js";
