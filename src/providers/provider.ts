import type { KnownColumn } from "../input/headers.js";
import type { JobSpec } from "../input/job-spec.js";
import type { PriceEstimate } from "./prices.js";

/** A provider task as last seen: `queued`/`running` are in flight; the other two are final. */
export interface TaskSnapshot {
  state: "queued" | "running" | "succeeded" | "failed";
  /** The provider's own word for the state (e.g. KIE `queuing`), kept for the ledger. */
  providerState: string;
  videoUrl?: string;
  errorCode?: string;
  errorMessage?: string;
  chargedCredits?: number;
  chargedUsd?: number;
}

/** A task as the engine knows it: the provider's ID and the request that created it. */
export interface TaskRef {
  taskId: string;
  /** The create body as sent (some providers query by kind, e.g. Kling's text2video/image2video). */
  request: unknown;
}

export interface ProviderLimits {
  /** New tasks allowed per sliding window (KIE: 20 per 10 s). */
  creates: { max: number; windowMs: number };
  /** Status queries allowed per second (KIE: 10). */
  statusPerSecond: number;
}

export interface Balance {
  credits?: number;
  usd?: number;
  /** Human-readable, e.g. "1,234 credits". */
  text: string;
}

/**
 * What the engine needs from a video provider. Adapters classify every failure as a
 * ProviderError (see provider-error.ts); they never retry a create on their own.
 */
export interface Provider {
  readonly name: string;
  readonly limits: ProviderLimits;
  /** Columns this provider cannot honour: the CLI warns once when a row fills them. */
  readonly ignoredColumns: readonly KnownColumn[];
  /** Secrets this adapter holds, so every output path can redact them. */
  readonly secrets: readonly string[];
  /**
   * Fetches what the adapter must know before any row is planned (Wireflow: the workflow's inputs
   * and its price estimate). Called once per command, before bindColumns and checkSpec.
   */
  prepare?(signal?: AbortSignal): Promise<void>;
  /** One line about what will run (Wireflow: the workflow, its price and input mapping), for the log. */
  describe?(): string;
  /**
   * For providers fed by more than the known columns: given the CSV's headers, returns the headers
   * whose cells each row carries in `spec.inputs`. Throws a UserError when the CSV cannot feed it.
   */
  bindColumns?(headers: readonly string[]): string[];
  /** Row-level checks that depend on the provider (prompt length, models, mode rules). */
  checkSpec(spec: JobSpec): { column: KnownColumn | string; message: string }[];
  estimateCost(spec: JobSpec): PriceEstimate;
  /** The request body exactly as it will be sent (stored in the ledger; holds no secret). */
  buildRequest(spec: JobSpec, externalId: string): unknown;
  createTask(request: unknown, signal?: AbortSignal): Promise<{ taskId: string }>;
  getTask(task: TaskRef, signal?: AbortSignal): Promise<TaskSnapshot>;
  /** Providers with an idempotency key can say whether a create whose answer was lost took effect. */
  findTaskByExternalId?(
    externalId: string,
    request: unknown,
    signal?: AbortSignal,
  ): Promise<{ taskId: string } | undefined>;
  /** A fresh download URL for a finished task whose old URL stopped working. */
  refreshVideoUrl?(task: TaskRef, oldUrl: string, signal?: AbortSignal): Promise<string | undefined>;
  getBalance?(signal?: AbortSignal): Promise<Balance>;
}
