import { dirname } from "node:path";
import type { RunBatchOptions } from "../../batch/batch-context.js";
import type { BatchPaths } from "../paths.js";
import type { RunOptions } from "../run-options.js";

/** The engine's settings from the run's options, in the engine's units (milliseconds, bytes). */
export function engineSettings(
  options: RunOptions,
  paths: BatchPaths,
): Pick<
  RunBatchOptions,
  | "concurrency"
  | "pollIntervalMs"
  | "maxCostUsd"
  | "maxCredits"
  | "allowUnknownPrice"
  | "taskTimeoutMs"
  | "videosDir"
  | "ledgerDir"
  | "maxVideoBytes"
  | "downloadStallMs"
  | "downloadConcurrency"
  | "resubmitUnknown"
  | "select"
> {
  return {
    concurrency: options.concurrency,
    pollIntervalMs: options.pollInterval * 1000,
    ...(options.maxCost !== undefined ? { maxCostUsd: options.maxCost } : {}),
    ...(options.maxCredits !== undefined ? { maxCredits: options.maxCredits } : {}),
    allowUnknownPrice: options.allowUnknownPrice,
    taskTimeoutMs: options.taskTimeout * 60_000,
    videosDir: paths.videosDir,
    ledgerDir: dirname(paths.ledger),
    maxVideoBytes: options.maxVideoMb * 1024 * 1024,
    downloadStallMs: options.downloadStall * 1000,
    downloadConcurrency: options.downloadConcurrency,
    resubmitUnknown: options.resubmitUnknown,
    ...(options.limit !== undefined || options.rows
      ? {
          select: {
            ...(options.limit !== undefined ? { limit: options.limit } : {}),
            ...(options.rows ? { lines: options.rows } : {}),
          },
        }
      : {}),
  };
}
