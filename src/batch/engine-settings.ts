import type { RowSelection } from "../job/row-selection.js";
import type { FailureHalt } from "./failure-guard.js";

export { isSelectedLine, type RowSelection } from "../job/row-selection.js";

/**
 * How long the engine waits for what. Today's values are the defaults (DEFAULT_TIMINGS); tests and
 * benchmarks shorten them rather than wait.
 */
export interface EngineTimings {
  /** A task the provider says it does not know is looked for again until it is this old. */
  notFoundGraceMs: number;
  /** Two "not found" runs at least this far apart make a task `unknown`... */
  notFoundApartMs: number;
  /** ...and a task not found for this long is given up for good. */
  notFoundGiveUpMs: number;
  /** Longest wait for the callback of a create whose answer was lost. */
  lostCreateCallbackMs: number;
  /** First back-off after a transient error (doubles each try, with jitter). */
  retryBaseMs: number;
  /** Longest back-off after a transient error. */
  retryCapMs: number;
  /** Longest gap between two status checks of a task (unless the poll interval is longer). */
  maxPollGapMs: number;
  /** Shortest gap between two rewrites of the report while a run goes. */
  reportRefreshMs: number;
  /**
   * Waits before each lookup (Kling) or replay (Wireflow) of a create whose answer was lost;
   * undefined: each provider's own (Kling 1, 3, 8 s; Wireflow 0.5, 2, 5 s).
   */
  lostAnswerDelaysMs?: readonly number[];
}

export const DEFAULT_TIMINGS: Readonly<EngineTimings> = Object.freeze({
  notFoundGraceMs: 60_000,
  notFoundApartMs: 10 * 60_000,
  notFoundGiveUpMs: 24 * 3600_000,
  lostCreateCallbackMs: 15 * 60_000,
  retryBaseMs: 1000,
  retryCapMs: 30_000,
  maxPollGapMs: 30_000,
  reportRefreshMs: 30_000,
});

/** What shapes the engine's work, under the names the run's settings give them. */
export interface EngineSettings {
  /** At most this many tasks in flight at the provider. */
  concurrency: number;
  /** Shortest gap between two status checks of a task. */
  pollIntervalMs: number;
  /** Never let spend (charged, or estimated until charged) pass this many dollars. */
  maxCostUsd?: number;
  /** The same budget in the provider's own unit (credits, units). */
  maxCredits?: number;
  /** With a budget: submit rows of unknown price too (otherwise they stay pending). */
  allowUnknownPrice: boolean;
  /** Stop following a task this long after it was submitted; it stays resumable. */
  taskTimeoutMs: number;
  /** Where finished videos go. */
  videosDir: string;
  /**
   * The ledger's folder: no create is sent while its disk has less than a few MiB free, since the
   * task id that comes back must be written there.
   */
  ledgerDir?: string;
  /** A download larger than this is cut and left for the user (never retried). */
  maxVideoBytes: number;
  /** A download with no byte for this long is given up for this try (and resumed on the next). */
  downloadStallMs: number;
  downloadConcurrency: number;
  /** Submit rows again whose earlier create has an unknown outcome (after the provider was asked). */
  resubmitUnknown: boolean;
  /** Stop submitting when the share of this run's failed rows passes a threshold. */
  haltOnFailures?: FailureHalt;
  /** Submit only some pending rows this run; the rest stay pending. */
  select?: RowSelection;
  timings: EngineTimings;
}
