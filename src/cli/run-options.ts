import { isIP } from "node:net";
import {
  ASPECT_RATIOS,
  type AspectRatio,
  DEFAULT_MODEL,
  DURATIONS,
  type Duration,
  MODES,
  type Mode,
} from "../job/job-spec.js";
import type { Rate } from "../providers/provider.js";
import { PROVIDERS, type ProviderName } from "../providers/provider-names.js";
import { WIREFLOW_PLAN_NAMES, type WireflowPlan } from "../providers/wireflow/wireflow-plans.js";
import { isLoopbackHost } from "../util/loopback.js";
import { oneOf, parseRows, parseShare, positive, text, usage } from "./flag-values.js";
import { parseRate } from "./parse-rate.js";

/** Everything `vidbatch run` does is decided by this one resolved object. */
export interface RunOptions {
  input: string;
  provider: ProviderName;
  model: string;
  concurrency: number;
  out?: string;
  ledger?: string;
  videosDir?: string;
  baseUrl?: string;
  uploadBaseUrl?: string;
  /** Wireflow: the workflow each row runs, and `input=column` mappings. */
  workflow?: string;
  map: string[];
  simulate: boolean;
  dryRun: boolean;
  maxCost?: number;
  /** Never let spend in the provider's own unit (KIE credits, Kling units, Wireflow credits) exceed this. */
  maxCredits?: number;
  /** With --max-cost: also run rows whose price no documented table gives (counted as $0 until charged). */
  allowUnknownPrice: boolean;
  /** Seconds. */
  pollInterval: number;
  duration: Duration;
  aspectRatio: AspectRatio;
  sound: boolean;
  mode?: Mode;
  retryFailed: boolean;
  maxAttempts: number;
  /** Rows marked Redo in `vidbatch review` get a new attempt. */
  redo: boolean;
  /** --halt-on-failures as a share (0.1 for 10%), and --halt-min-rows. */
  haltOnFailures?: { share: number; minFinished: number };
  /** The flag --halt-min-rows as given (folded into haltOnFailures). */
  haltMinRows?: number;
  resubmitUnknown: boolean;
  /** Minutes. */
  taskTimeout: number;
  downloadConcurrency: number;
  /** Seconds without a byte after which a download is given up (and resumed on the next try). */
  downloadStall: number;
  /** Largest video accepted, in MiB: a download is cut there and never retried. */
  maxVideoMb: number;
  /** Lifts the refusal to send a key over plain http to another machine. */
  allowInsecureHttp: boolean;
  /** The sheet of an .xlsx workbook to read (default: the first). */
  sheet?: string;
  /** Submit at most this many pending rows this run, in input order. */
  limit?: number;
  /** Submit only pending rows on these input lines (inclusive ranges; the header is line 1). */
  rows?: [number, number][];
  /** Wireflow: the key's plan (else read from the API's X-RateLimit-Limit). */
  plan?: WireflowPlan;
  /** The provider's create and status limits, when not its documented ones. */
  submitRate?: Rate;
  statusRate?: Rate;
  /** The public address providers call back (a tunnel to `listen`); default `http://<listen>`. */
  callbackUrl?: string;
  /** Where the run's callback receiver listens. */
  listen?: { host: string; port: number };
  /** Seconds between safety-net checks of a task that waits for its callback. */
  callbackPoll: number;
  /** Webhook keys given as flags (the environment is the better place: flags show in `ps`). */
  kieWebhookKey?: string;
  klingWebhookSecret?: string;
  quiet: boolean;
  /** A line per row event (not only those that need attention). */
  verbose: boolean;
  /** Write the HTML report at the end of the run. */
  report: boolean;
  json: boolean;
}

type Defaulted = Exclude<
  keyof RunOptions,
  | "input"
  | "out"
  | "ledger"
  | "videosDir"
  | "baseUrl"
  | "uploadBaseUrl"
  | "workflow"
  | "maxCost"
  | "maxCredits"
  | "haltOnFailures"
  | "haltMinRows"
  | "mode"
  | "submitRate"
  | "statusRate"
  | "plan"
  | "limit"
  | "rows"
  | "sheet"
  | "callbackUrl"
  | "listen"
  | "kieWebhookKey"
  | "klingWebhookSecret"
>;

/** The defaults of every option that has one; the CLI's help, bench/ and tests read them here. */
export const DEFAULT_RUN_OPTIONS: Readonly<Pick<RunOptions, Defaulted>> = Object.freeze({
  provider: "kie",
  model: DEFAULT_MODEL,
  concurrency: 5,
  map: [],
  simulate: false,
  dryRun: false,
  allowUnknownPrice: false,
  pollInterval: 0.5,
  duration: 5,
  aspectRatio: "16:9",
  sound: false,
  retryFailed: false,
  redo: false,
  maxAttempts: 3,
  resubmitUnknown: false,
  taskTimeout: 60,
  downloadConcurrency: 4,
  downloadStall: 30,
  maxVideoMb: 1024,
  allowInsecureHttp: false,
  callbackPoll: 60,
  quiet: false,
  verbose: false,
  report: true,
  json: false,
});

/** Flags as given: anything may be missing (undefined never overrides a default) or mistyped. */
export type RunFlags = { [K in keyof RunOptions]?: unknown };

/**
 * `--listen [HOST:]PORT`: 8787, 127.0.0.1:8787, 0.0.0.0:8787, [::1]:8787 (the host defaults to
 * 127.0.0.1). The host must be an IP address written out, or `localhost`: shorthands the system
 * widens to every interface (`0`, `0:PORT`) or names that may resolve anywhere are refused.
 */
function parseListen(value: unknown): { host: string; port: number } {
  const m = /^\s*(?:(\[[^\]]+\]|[^\s]+):)?(\d{1,5})\s*$/.exec(String(value));
  const port = Number(m?.[2]);
  if (!m || port > 65535)
    usage(`--listen takes [HOST:]PORT, e.g. 8787 or 0.0.0.0:8787 ("${String(value)}" is not one)`);
  const host = (m[1] ?? "127.0.0.1").replace(/^\[|\]$/g, "");
  if (host !== "localhost" && isIP(host) === 0)
    usage(
      `--listen ${String(value).trim()}: "${host}" is not an IP address; write 127.0.0.1:${port} (this machine only) or, to be reached from other machines, the interface's address or 0.0.0.0:${port} with --callback-url`,
    );
  return { host, port };
}

function parseCallbackUrl(value: unknown): string {
  const raw = text("callback-url", value).trim();
  let url: URL | undefined;
  try {
    url = new URL(raw);
  } catch {
    url = undefined;
  }
  if (!url || !/^https?:$/.test(url.protocol) || url.search || url.hash)
    usage(
      `--callback-url must be an http(s) URL with no query, e.g. https://abc.trycloudflare.com/vidbatch ("${raw}" is not one)`,
    );
  return raw.replace(/\/+$/, "");
}

/** --callback-url and --listen go together (and only where a provider calls back). */
function checkCallbackOptions(options: RunOptions): void {
  if (options.callbackUrl && !options.listen)
    usage(
      "--callback-url needs --listen [HOST:]PORT: where this run receives what that URL forwards (e.g. --listen 8787 for a tunnel to localhost:8787)",
    );
  if (options.listen && !options.callbackUrl && !isLoopbackHost(options.listen.host))
    usage(
      `--listen on ${options.listen.host} is reachable from other machines: it needs --callback-url, the address at which providers reach this machine (or listen on 127.0.0.1 behind a tunnel)`,
    );
  if (options.listen && options.provider === "wireflow")
    usage(
      "Wireflow documents no completion callbacks: drop --callback-url/--listen (its executions are polled)",
    );
}

/**
 * Resolves flags over DEFAULT_RUN_OPTIONS, checking each: the only way options come to be, for the
 * CLI, the benchmarks and the tests alike.
 */
export function resolveRunOptions(flags: RunFlags): RunOptions {
  // A flag given twice takes its last value, as in most command-line tools; only --map repeats.
  const f = Object.fromEntries(
    Object.entries(flags)
      .filter(([, v]) => v !== undefined)
      .map(([k, v]) => [k, k !== "map" && Array.isArray(v) ? v.at(-1) : v]),
  ) as RunFlags;
  const d = DEFAULT_RUN_OPTIONS;
  const bool = (v: unknown, fallback: boolean) => (v === undefined ? fallback : v === true || v === "true");
  const options: RunOptions = {
    input: text("input", f.input),
    provider: f.provider === undefined ? d.provider : oneOf("provider", f.provider, PROVIDERS),
    model: f.model === undefined ? d.model : text("model", f.model),
    concurrency:
      f.concurrency === undefined ? d.concurrency : positive("concurrency", f.concurrency, { integer: true }),
    map: f.map === undefined ? [...d.map] : (Array.isArray(f.map) ? f.map : [f.map]).map(String),
    simulate: bool(f.simulate, d.simulate),
    dryRun: bool(f.dryRun, d.dryRun),
    allowUnknownPrice: bool(f.allowUnknownPrice, d.allowUnknownPrice),
    pollInterval: f.pollInterval === undefined ? d.pollInterval : positive("poll-interval", f.pollInterval),
    duration: f.duration === undefined ? d.duration : oneOf("duration", f.duration, DURATIONS as number[]),
    aspectRatio:
      f.aspectRatio === undefined ? d.aspectRatio : oneOf("aspect-ratio", f.aspectRatio, ASPECT_RATIOS),
    sound: bool(f.sound, d.sound),
    retryFailed: bool(f.retryFailed, d.retryFailed),
    redo: bool(f.redo, d.redo),
    maxAttempts:
      f.maxAttempts === undefined
        ? d.maxAttempts
        : positive("max-attempts", f.maxAttempts, { integer: true }),
    resubmitUnknown: bool(f.resubmitUnknown, d.resubmitUnknown),
    taskTimeout: f.taskTimeout === undefined ? d.taskTimeout : positive("task-timeout", f.taskTimeout),
    downloadConcurrency:
      f.downloadConcurrency === undefined
        ? d.downloadConcurrency
        : positive("download-concurrency", f.downloadConcurrency, { integer: true }),
    downloadStall:
      f.downloadStall === undefined ? d.downloadStall : positive("download-stall", f.downloadStall),
    maxVideoMb: f.maxVideoMb === undefined ? d.maxVideoMb : positive("max-video-mb", f.maxVideoMb),
    allowInsecureHttp: bool(f.allowInsecureHttp, d.allowInsecureHttp),
    callbackPoll: f.callbackPoll === undefined ? d.callbackPoll : positive("callback-poll", f.callbackPoll),
    quiet: bool(f.quiet, d.quiet),
    verbose: bool(f.verbose, d.verbose),
    report: bool(f.report, d.report),
    json: bool(f.json, d.json),
  };
  if (f.out !== undefined) options.out = text("out", f.out);
  if (f.ledger !== undefined) options.ledger = text("ledger", f.ledger);
  if (f.videosDir !== undefined) options.videosDir = text("videos-dir", f.videosDir);
  if (f.baseUrl !== undefined) options.baseUrl = text("base-url", f.baseUrl);
  if (f.uploadBaseUrl !== undefined) options.uploadBaseUrl = text("upload-base-url", f.uploadBaseUrl);
  if (f.workflow !== undefined) options.workflow = text("workflow", f.workflow);
  if (f.maxCost !== undefined) options.maxCost = positive("max-cost", f.maxCost, { orEqual: true });
  if (f.haltOnFailures !== undefined)
    options.haltOnFailures = {
      share: parseShare(f.haltOnFailures),
      minFinished:
        f.haltMinRows === undefined ? 10 : positive("halt-min-rows", f.haltMinRows, { integer: true }),
    };
  else if (f.haltMinRows !== undefined) usage("--halt-min-rows goes with --halt-on-failures");
  if (f.maxCredits !== undefined)
    options.maxCredits = positive("max-credits", f.maxCredits, { orEqual: true });
  if (f.mode !== undefined) options.mode = oneOf("mode", f.mode, MODES);
  if (f.sheet !== undefined) options.sheet = text("sheet", f.sheet);
  if (f.limit !== undefined) options.limit = positive("limit", f.limit, { integer: true });
  if (f.rows !== undefined) options.rows = parseRows(f.rows);
  if (f.plan !== undefined) options.plan = oneOf("plan", f.plan, WIREFLOW_PLAN_NAMES);
  if (f.submitRate !== undefined) options.submitRate = parseRate("submit-rate", f.submitRate);
  if (f.statusRate !== undefined) options.statusRate = parseRate("status-rate", f.statusRate);
  if (f.callbackUrl !== undefined) options.callbackUrl = parseCallbackUrl(f.callbackUrl);
  if (f.listen !== undefined) options.listen = parseListen(f.listen);
  if (f.kieWebhookKey !== undefined) options.kieWebhookKey = text("kie-webhook-key", f.kieWebhookKey);
  if (f.klingWebhookSecret !== undefined)
    options.klingWebhookSecret = text("kling-webhook-secret", f.klingWebhookSecret);
  checkCallbackOptions(options);
  return options;
}
