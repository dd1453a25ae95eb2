import type { FrameRules } from "../frames/frame-rules.js";
import type { InputField, JobSpec, LocalFrame, SpecField, SpecProblem } from "../job/job-spec.js";
import type { ProviderInput } from "../job/provider-input.js";
import type { PriceEstimate } from "./price.js";

/** A provider task as last seen: `queued`/`running` are in flight; the other two are final. */
export interface TaskSnapshot {
  state: "queued" | "running" | "succeeded" | "failed";
  /** The provider's own word for the state (e.g. KIE `queuing`), kept for the ledger. */
  providerState: string;
  videoUrl?: string;
  /** The provider's id of the video (Kling's `videos[0].id`): extending a clip needs it. */
  videoId?: string;
  /** A charge the snapshot could not count in dollars (a CNY balance), said with the row. */
  chargeNote?: string;
  errorCode?: string;
  errorMessage?: string;
  chargedCredits?: number;
  chargedUsd?: number;
  /** The callback URL the task was created with, when the provider echoes it (KIE's `param`). */
  callbackUrl?: string;
  /** The external id the task carries, when the provider says it (Kling's `external_task_id`). */
  externalId?: string;
  /**
   * A failure on the provider's side that charged nothing (KIE: a 5xx `failCode` with 0 credits
   * consumed): submitting the row again is safe and may well succeed. A content refusal never is.
   */
  retryable?: boolean;
}

/** A completion callback as it reached the run's receiver. */
export interface CallbackDelivery {
  /** Header names in lower case. */
  headers: Readonly<Record<string, string | undefined>>;
  /** The body exactly as received (signatures cover the raw bytes). */
  rawBody: string;
  receivedAt: number;
}

/**
 * What a callback says. Its body is a hint unless a signature over the whole body verified: any
 * other callback only wakes the task, which is then confirmed with a status call — the outcome, the
 * charge and the video URL come from the provider's own answer.
 */
export interface CallbackReport {
  /**
   * - `verified`: signed with the key the user configured, over the whole body (Kling's Standard
   *   Webhooks): the body may decide the task's outcome;
   * - `verified-id`: signed, but the signature covers only the task id and a timestamp (KIE's
   *   HMAC of `taskId.timestamp`): a signature seen once can be replayed over any body for five
   *   minutes, so the body decides nothing — it is a hint, like an unsigned one;
   * - `unsigned`: no key configured, or the provider sent no signature;
   * - `invalid`: a signature (or timestamp) that does not check out.
   */
  signature: "verified" | "verified-id" | "unsigned" | "invalid";
  taskId?: string;
  /** What the body says of the task, when it could be read. */
  snapshot?: TaskSnapshot;
  /** Why the signature did not verify, or why the body could not be read (for the log). */
  problem?: string;
}

export interface CreateContext {
  externalId: string;
  signal?: AbortSignal;
}

/** A create whose outcome is not known, as the ledger recorded it. */
export interface TaskLookup {
  externalId: string;
  /** The create body as sent. */
  request: unknown;
  /** When the intent was recorded (ISO time): an idempotency key may expire. */
  createdAt: string;
  /** Whether this vidbatch sent the create with its key (a ledger from before keys were sent: no). */
  keySent: boolean;
}

/** A task as the engine knows it: the provider's ID and the request that created it. */
export interface TaskRef {
  taskId: string;
  /** The create body as sent (some providers query by kind, e.g. Kling's text2video/image2video). */
  request: unknown;
}

/**
 * How fast the provider lets one key go. Every adapter takes these as a constructor option whose
 * default is the documented value, so an account with raised limits, a test or a benchmark can
 * set its own.
 */
export interface ProviderLimits {
  /** New tasks allowed per sliding window (KIE: 20 per 10 s). */
  submitRate: Rate;
  /** Status queries allowed per sliding window (KIE: 10 per second). */
  statusRate: Rate;
}

/** At most `max` requests in any `windowMs`. */
export interface Rate {
  max: number;
  windowMs: number;
}

export interface Balance {
  credits?: number;
  usd?: number;
  /** Human-readable, e.g. "1,234 credits". */
  text: string;
}

/** Named inputs a provider takes beyond the spec's fields, and what they belong to (for messages). */
export interface ProviderInputs {
  /** What owns them, for messages: the workflow's id. */
  owner: string;
  list: readonly ProviderInput[];
}

/** One local frame to upload: its checked identity and its bytes (read and hashed again just now). */
export interface FrameUpload extends LocalFrame {
  /** The name to upload it under (its hash and format: two files never share one). */
  fileName: string;
  data: Buffer;
}

/**
 * How a provider takes local image files (docs/provider-contracts.md). Either it uploads them and
 * the create names the returned URL (KIE, Wireflow), or the create carries them inline (Kling).
 */
export interface FrameSupport {
  /**
   * What a frame must be for this spec (format, size, pixels, aspect), checked before any spend;
   * `field` says which frame (a model may take other formats for its start and end frames).
   */
  rules(spec: JobSpec, field?: SpecField | InputField): FrameRules;
  /** Uploads one file and returns where the provider will fetch it; absent: frames go inline. */
  upload?(file: FrameUpload, signal?: AbortSignal): Promise<{ url: string }>;
  /** How long an upload may be reused before its host deletes it (less a margin); absent: no limit. */
  reuseUploadsForMs?: number;
  /** Where uploads go (for the log). */
  uploadHost?: string;
}

/**
 * What the engine needs from a video provider. Built ready to use (by its factory) and never
 * changed after; it speaks in jobs, never in spreadsheet columns. Adapters classify every failure
 * as a ProviderError (see provider-error.ts); they never retry a create on their own.
 */
export interface Provider {
  readonly name: string;
  readonly limits: ProviderLimits;
  /** Spec fields this provider cannot honour: a filled one is warned about once, never sent. */
  readonly unsupportedFields: readonly SpecField[];
  /**
   * Secrets this adapter redacts from every answer, so that no output path can show them. The run
   * adds those it learns later (the batch's callback path secret, which callback URLs carry).
   */
  readonly secrets: string[];
  /**
   * The credentials that name the account (its keys, not its webhook secrets): what the account's
   * shared limits and recorded uploads are keyed by. Default: `secrets`.
   */
  readonly credentials?: readonly string[];
  /** Named inputs (Wireflow's workflow inputs); the input layer fills `spec.inputs` from columns. */
  readonly inputs?: ProviderInputs;
  /** How the limits were chosen when not simply documented (Wireflow: the plan), for the log. */
  readonly limitsNote?: string;
  /** One line about what will run (Wireflow: the workflow and its price), for the log. */
  describe?(): string;
  /** How it takes local frames: their rules, and an upload or inline delivery. */
  readonly frames: FrameSupport;
  /** Job-level checks that depend on the provider (prompt length, models, mode rules). */
  checkSpec(spec: JobSpec): SpecProblem[];
  estimateCost(spec: JobSpec): PriceEstimate;
  /**
   * The request body exactly as it will be sent (stored in the ledger; holds no API key). With
   * `callbackUrl`, the provider is asked to call it when the task changes (KIE, Kling).
   */
  buildRequest(spec: JobSpec, externalId: string, callbackUrl?: string): unknown;
  /** Reads (and verifies, when a webhook key is configured) a completion callback. */
  readCallback?(delivery: CallbackDelivery): CallbackReport;
  /**
   * Sends the create. `externalId` is the ledger's idempotency key for this attempt (Kling carries
   * it in the body; Wireflow sends it as the Idempotency-Key header).
   */
  createTask(request: unknown, context: CreateContext): Promise<{ taskId: string }>;
  getTask(task: TaskRef, signal?: AbortSignal): Promise<TaskSnapshot>;
  /**
   * Whether this task's status checks are batched by the adapter (Kling's current standard: one
   * query for many tasks): the engine then spends no status call of its budget on each.
   */
  statusIsBatched?(task: TaskRef): boolean;
  /** Why a task made earlier cannot be followed with the keys given now (a Kling API-key task), if so. */
  cannotFollow?(request: unknown): string | undefined;
  /** Providers with an idempotency key can say whether a create whose answer was lost took effect. */
  findTaskByExternalId?(lookup: TaskLookup, signal?: AbortSignal): Promise<{ taskId: string } | undefined>;
  /** Where to fetch a video its host refused (HTTP 403) to fetch directly (Wireflow's download proxy). */
  downloadProxyUrl?(url: string): string;
  /** A fresh download URL for a finished task whose old URL stopped working. */
  refreshVideoUrl?(task: TaskRef, oldUrl: string, signal?: AbortSignal): Promise<string | undefined>;
  getBalance?(signal?: AbortSignal): Promise<Balance>;
}
