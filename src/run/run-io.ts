import type { WaitReason } from "../batch/batch-context.js";
import type { JobStatus } from "../ledger/types.js";
import type { Logger } from "../util/logger.js";
import type { PlanSummary } from "./run-report.js";

/** What the run tells its caller while it goes. */
export type RunEvent =
  /** The input is read and the ledger synced: what this run will submit. */
  | {
      type: "planned";
      plan: PlanSummary;
      /** Rows chosen by `select`, and their estimate (undefined without a selection). */
      selected?: { rows: number; usd: number };
      /** Failed rows put back to pending by retryFailed. */
      requeued: number;
      /**
       * Rows marked Redo in review: with `redo`, those put back to pending for a new, paid attempt
       * and its estimate (`submitted: true`); without, those waiting for `redo` (`submitted: false`).
       */
      redo: { rows: number; usd: number; submitted: boolean };
      /** The simulator's address, with `simulate`. */
      simulatorUrl?: string;
    }
  /** The ledger's figures, every `progressEveryMs` while the engine runs. */
  | {
      type: "progress";
      counts: Record<string, number>;
      /** Charged by the provider. */
      spentUsd: number;
      /** Estimated for tasks that exist or may exist, until the provider reports their charge. */
      reservedUsd: number;
      waiting?: WaitReason;
    }
  /** A row's status changed (submitted, finished, failed, …). */
  | {
      type: "row";
      key: string;
      line: number | null;
      status: JobStatus;
      error: string | null;
      videoPath: string | null;
    };

/** What a run is given besides its settings: its environment and its ways to talk. */
export interface RunIo {
  /**
   * The environment the provider keys come from (KIE_API_KEY, KLING_ACCESS_KEY and
   * KLING_SECRET_KEY, WIREFLOW_API_KEY, the webhook keys). Default: process.env.
   */
  env?: Record<string, string | undefined>;
  /** Aborting it stops the run gracefully: no new submissions, creates on the wire finish. */
  signal?: AbortSignal;
  /** Where the run's messages go (createLogger); default: nowhere. Every line is redacted first. */
  log?: Logger;
  /**
   * Told of each event as it happens, on the run's own thread: keep it quick (a slow listener slows
   * the run). A listener that throws, or returns a promise that rejects, is warned about once.
   */
  onEvent?: (event: RunEvent) => unknown;
  /** How often a progress event comes (default 1000 ms). */
  progressEveryMs?: number;
  /**
   * The command that runs this batch again (secret-free, without flags that act once) and the
   * folder it runs in: kept in the ledger, so the review can offer the exact command for --redo.
   */
  rerun?: { args: string[]; cwd: string };
  /** The folder relative paths and a remote input's files are resolved against (default: the current one). */
  cwd?: string;
  /**
   * How the caller names settings in the texts it reads (the results CSV's error column, the
   * report): messages name a setting as `maxCostUsd`; the CLI rewrites that to `--max-cost`.
   */
  wordSettings?: (text: string) => string;
}
