import { DEFAULT_TIMINGS, type EngineSettings, type EngineTimings } from "../batch/engine-settings.js";
import type { FailureHalt } from "../batch/failure-guard.js";
import { type AspectRatio, DEFAULT_MODEL, type Duration, type Mode } from "../job/job-spec.js";
import type { Rate } from "../providers/provider.js";
import type { ProviderName } from "../providers/provider-names.js";
import type { WireflowPlan } from "../providers/wireflow/wireflow-plans.js";

export type { EngineTimings, RowSelection } from "../batch/engine-settings.js";

/** Where a run reads and writes. Unset paths default to files beside the input (see defaultPaths). */
export interface RunPaths {
  /** The results CSV (default `<input>.results.csv`). */
  results?: string;
  /** The ledger (default `<input>.ledger.db`). */
  ledger?: string;
  /** Where videos go (default `<input>-videos/`). */
  videosDir?: string;
}

/** Completion callbacks: where this run listens, and the address providers call. */
export interface CallbackListen {
  host: string;
  port: number;
  /** The public address that reaches the listener (a tunnel); default `http://host:port`. */
  publicUrl?: string;
  /** How often a task that waits for its callback is checked anyway (lost callbacks). */
  safetyPollMs: number;
}

/**
 * Everything one run is told, in library units (milliseconds, bytes, rates). No secrets: keys come
 * from the environment given in RunIo. Each name is the one its reader uses, down to the engine.
 */
export interface RunSettings extends Omit<EngineSettings, "videosDir" | "ledgerDir" | "timings"> {
  /** A CSV or .xlsx path (relative to the current folder), or an https:// URL of a CSV or Google Sheet. */
  input: string;
  /** The sheet of an .xlsx workbook (default: the first). */
  sheet?: string;
  paths: RunPaths;
  provider: ProviderName;
  /** The model of rows without a model column. */
  model: string;
  /** The request of rows that leave these cells empty. */
  duration: Duration;
  aspectRatio: AspectRatio;
  sound: boolean;
  mode?: Mode;
  /** `field=Column` pairs (Wireflow: `<input id or label>=Column`) for columns named differently. */
  map: string[];
  /** Wireflow: the workflow each row runs. */
  workflow?: string;
  /** Wireflow: the key's plan (else read from the API's X-RateLimit-Limit). */
  plan?: WireflowPlan;
  /** The provider's API address (a proxy); default its documented one. */
  baseUrl?: string;
  /**
   * Where local frames are uploaded (KIE's upload host, Wireflow's API); default the provider's
   * documented host, or `baseUrl` when that is given (a simulator or a proxy serves both).
   */
  uploadBaseUrl?: string;
  /** Allow a key to travel over plain http to another machine. */
  allowInsecureHttp: boolean;
  /** Run against a simulator started in this process: no key, no cost, no network. */
  simulate: boolean;
  /** The provider's create and status limits, when not its documented ones. */
  submitRate?: Rate;
  statusRate?: Rate;
  /** Stop submitting when more than `share` of this run's finished rows failed (after `minFinished`). */
  haltOnFailures?: FailureHalt;
  /** Failed rows with fewer than maxAttempts tasks are submitted again. */
  retryFailed: boolean;
  maxAttempts: number;
  /** Rows a reviewer marked Redo (vidbatch review) get a new, paid attempt; the earlier one is kept. */
  redo: boolean;
  callbacks?: CallbackListen;
  /** Write the HTML report at the end of the run. */
  report: boolean;
  /** How long a silent run keeps the ledger before another may take it over. */
  lockStaleAfterMs?: number;
  /** The engine's waits, today's values unless shortened (tests, benchmarks). */
  timings?: Partial<EngineTimings>;
}

/** Settings a caller may leave out; everything but the input has a default. */
export type RunSettingsInput = Pick<RunSettings, "input"> & Partial<Omit<RunSettings, "input">>;

export const DEFAULT_SETTINGS: Readonly<Omit<RunSettings, "input">> = Object.freeze({
  paths: {},
  provider: "kie",
  model: DEFAULT_MODEL,
  concurrency: 5,
  duration: 5,
  aspectRatio: "16:9",
  sound: false,
  map: [],
  allowInsecureHttp: false,
  simulate: false,
  pollIntervalMs: 500,
  allowUnknownPrice: false,
  retryFailed: false,
  maxAttempts: 3,
  redo: false,
  resubmitUnknown: false,
  taskTimeoutMs: 60 * 60_000,
  downloadConcurrency: 4,
  downloadStallMs: 30_000,
  maxVideoBytes: 1024 * 1024 * 1024,
  report: true,
});

/** The settings with every default filled in. */
export function withDefaults(given: RunSettingsInput): RunSettings {
  const defined = Object.fromEntries(Object.entries(given ?? {}).filter(([, v]) => v !== undefined));
  return { ...DEFAULT_SETTINGS, ...defined } as RunSettings;
}

/** The engine's timings: today's values, with any the settings shorten. */
export function timingsOf(settings: RunSettings): EngineTimings {
  return { ...DEFAULT_TIMINGS, ...settings.timings };
}
