import { DEFAULT_SIM_CALLBACKS, type SimCallbackOptions } from "./sim-callbacks.js";

/** How the simulator behaves. Every fault is a probability per request, drawn from a seeded PRNG. */
export interface SimFaults {
  /** createTask answered 429 although the rate limit was not reached. */
  create429Rate: number;
  /** createTask answered 500 (no task created). */
  create5xxRate: number;
  /** createTask creates the task, then drops the connection without answering. */
  createDropRate: number;
  /** recordInfo answered 500. */
  status5xxRate: number;
  /** recordInfo connection dropped. */
  statusDropRate: number;
  /** Video download answered 503. */
  download5xxRate: number;
  /** Video download ends cleanly after half the file, without a Content-Length. */
  downloadTruncateRate: number;
  /** Video download sends half the file, then stalls (the connection stays open). */
  downloadStallRate: number;
  /** A file upload (KIE, Wireflow) answered 500 (nothing stored). */
  upload5xxRate: number;
  /** A file upload read to the end and stored, then the connection dropped without an answer. */
  uploadDropRate: number;
}

export interface SimOptions {
  /** The only API key accepted; undefined accepts any non-empty bearer token. */
  apiKey?: string;
  /** Account balance in KIE credits; each task is charged at creation and refunded if it fails. */
  credits: number;
  /** Mean generation time and ± jitter fraction. */
  genTimeMs: number;
  genJitter: number;
  /** Share of tasks that fail generation at random. */
  failRate: number;
  /** Prompts containing this text always fail (content policy), for deterministic tests. */
  failMarker: string;
  /** KIE: 20 new tasks per 10 s, 10 status queries per second. */
  createLimit: { max: number; windowMs: number };
  statusPerSecond: number;
  /** Errors as the HTTP status ("http"), as HTTP 200 with a body code ("body"), or either ("mixed"). */
  errorStyle: "http" | "body" | "mixed";
  faults: SimFaults;
  /** Delay before createTask answers (the task exists from the start of the delay). */
  createDelayMs: number;
  /** Delay before a create reaches the API at all (on the wire: no task exists until it ends). */
  createArrivalDelayMs: number;
  /** Throttle video downloads to this many bytes per second (0 = unthrottled). */
  downloadBytesPerSecond: number;
  /** Result URLs stop working after this long (0 = never); download-url hands out fresh ones. */
  resultUrlTtlMs: number;
  /** KIE deletes uploaded files after this long (its docs say 3 days, or 24 hours). */
  kieUploadRetentionMs: number;
  /**
   * Which documented answer KIE's upload gives: the endpoint pages' (`downloadUrl`), the quickstart's
   * (`fileUrl` and a `downloadUrl`), one with `fileUrl` only, or each in turn ("mixed").
   */
  kieUploadAnswer: "endpoint" | "quickstart" | "fileUrl" | "mixed";
  /** Uploaded files are this much older than they are (tests of retention, without waiting days). */
  mediaAgeOffsetMs: number;
  seed: number;
  /**
   * A hostile server: echo the caller's credentials (its bearer token; for Kling also the key pair
   * the token was signed with) in every message and URL ("text"), and in task ids too ("all").
   */
  echoSecrets: "off" | "text" | "all";
  /**
   * A hostile provider: every finished task reports this charge (KIE credits, Kling units,
   * Wireflow credits) instead of its real one, e.g. -1000000. Undefined: the real charge.
   */
  reportedCharge?: number;
  /** Kling: the AccessKey/SecretKey pair whose JWTs are accepted; task slots of the resource pack (1303 beyond). */
  kling: {
    accessKey: string;
    secretKey: string;
    /** The API key accepted on both standards (the current one takes nothing else). */
    apiKey: string;
    /** How finished current-standard tasks say they were paid (`billing[]`). */
    billing: "unit" | "cash-usd" | "cash-cny";
    concurrency: number;
    /**
     * A hostile account for lookups by external id: the path form finds a task by its
     * external_task_id only this long after its create (0: at once); the query form ignores its
     * filter and answers the documented list, newest first; and another tool on the same account
     * keeps making this many tasks (no external id, `task_info: {}`), always the newest.
     */
    externalLookupDelayMs: number;
    listIgnoresFilter: boolean;
    foreignTasks: number;
  };
  /**
   * Wireflow: the only key accepted (undefined: any `sk-…`/`wf_…` key), and the plan's limits:
   * requests and executions per window, the window being a minute (shorter in tests); executions a
   * day (undefined: unlimited); whether the CDN refuses direct downloads of results (it always
   * refuses script user agents), which then come only through `/api/download?url=`.
   */
  /** Completion callbacks to a create's `callBackUrl` (KIE) or `callback_url` (Kling). */
  callbacks: SimCallbackOptions;
  wireflow: {
    apiKey?: string;
    requestsPerMinute: number;
    executionsPerMinute: number;
    windowMs: number;
    dailyExecutions?: number;
    cdnBlocksDirect: boolean;
  };
}

export const DEFAULT_SIM_OPTIONS: SimOptions = {
  credits: 1_000_000,
  genTimeMs: 3000,
  genJitter: 0.3,
  failRate: 0,
  failMarker: "[fail]",
  createLimit: { max: 20, windowMs: 10_000 },
  statusPerSecond: 10,
  errorStyle: "mixed",
  faults: {
    create429Rate: 0,
    create5xxRate: 0,
    createDropRate: 0,
    status5xxRate: 0,
    statusDropRate: 0,
    download5xxRate: 0,
    downloadTruncateRate: 0,
    downloadStallRate: 0,
    upload5xxRate: 0,
    uploadDropRate: 0,
  },
  createDelayMs: 0,
  createArrivalDelayMs: 0,
  downloadBytesPerSecond: 0,
  resultUrlTtlMs: 0,
  kieUploadRetentionMs: 24 * 3_600_000,
  kieUploadAnswer: "mixed",
  mediaAgeOffsetMs: 0,
  seed: 1,
  echoSecrets: "off",
  kling: {
    accessKey: "sim-kling-access-key",
    secretKey: "sim-kling-secret-key",
    apiKey: "sim-kling-api-key",
    billing: "unit",
    concurrency: 1000,
    externalLookupDelayMs: 0,
    listIgnoresFilter: false,
    foreignTasks: 0,
  },
  callbacks: DEFAULT_SIM_CALLBACKS,
  // Wireflow's Pro plan: 60 requests and 10 executions per minute.
  wireflow: { requestsPerMinute: 60, executionsPerMinute: 10, windowMs: 60_000, cdnBlocksDirect: false },
};

export type SimOptionsPatch = Partial<Omit<SimOptions, "faults" | "kling" | "wireflow" | "callbacks">> & {
  faults?: Partial<SimFaults>;
  callbacks?: Partial<SimCallbackOptions>;
  kling?: Partial<SimOptions["kling"]>;
  wireflow?: Partial<SimOptions["wireflow"]>;
};

export function mergeSimOptions(base: SimOptions, patch: SimOptionsPatch): SimOptions {
  return {
    ...base,
    ...patch,
    faults: { ...base.faults, ...patch.faults },
    kling: { ...base.kling, ...patch.kling },
    callbacks: { ...base.callbacks, ...patch.callbacks },
    wireflow: { ...base.wireflow, ...patch.wireflow },
  };
}
