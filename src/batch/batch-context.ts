import type { BatchStores } from "../ledger/batch-stores.js";
import type { JobStore } from "../ledger/job-store.js";
import type { TaskStore } from "../ledger/task-store.js";
import type { Provider, Rate } from "../providers/provider.js";
import type { Logger } from "../util/logger.js";
import type { CallbackHandler, CallbackInbox } from "./callback-types.js";
import type { FrameDelivery } from "./deliver-frames.js";
import type { EngineSettings } from "./engine-settings.js";
import type { createFailureGuard } from "./failure-guard.js";
import type { GenerationTimes } from "./generation-times.js";
import type { PollPlanner } from "./poll-planner.js";
import type { RateLimiter } from "./rate-limiter.js";
import type { Slots } from "./slots.js";
import type { TaskFinishes } from "./task-finishes.js";
import type { TaskWakeups } from "./task-wakeups.js";

/** Completion callbacks (--callback-url, --listen): how tasks are told to call back, and where. */
export interface CallbackSettings {
  /** The address a task's provider calls: the public URL, the batch's secret, the external id. */
  urlFor(externalId: string): string;
  /** The receiver hands each delivery to `handler` while the run lasts (undefined: none). */
  attach(handler: CallbackHandler | undefined): void;
  /** How often a task that waits for its callback is checked anyway (lost callbacks). */
  safetyPollMs: number;
}

export interface RunBatchOptions {
  /** The ledger, as typed stores (they report their own changes). */
  stores: BatchStores;
  provider: Provider;
  /** Random per-ledger id, part of each external task id. */
  batchId: string;
  /**
   * When this ledger's creates began to carry their idempotency key to every provider that takes
   * one (ISO time): an older create must not be replayed by key.
   */
  idempotencyKeysSince: string;
  settings: EngineSettings;
  /**
   * The provider account (an opaque id of provider, address and key): runs in this process on the
   * same account share its rate limits. Undefined: this run's own limiters.
   */
  account?: string;
  /**
   * The ledger was taken over from a run that may still be alive: its creates may still be on the
   * wire, so an interrupted submission the provider does not know (yet) becomes `unknown`, never
   * "not created".
   */
  previousRunMayBeAlive?: boolean;
  /** Graceful stop (first Ctrl-C): no new submissions, polls and downloads end, creates on the wire finish. */
  stopSignal: AbortSignal;
  log: Logger;
  callbacks?: CallbackSettings;
}

/** Why submissions wait right now, when they do: data for a live line. */
export type WaitReason =
  | { kind: "downloads"; queued: number }
  | { kind: "lost-callbacks"; submissions: number }
  | { kind: "rate-limit"; provider: string; until: number; paused: boolean; limit: Rate };

export type StopReasonCode = "budget" | "credit-budget" | "credits" | "auth" | "quota" | "disk" | "failures";

export interface BatchOutcome {
  submitted: number;
  interrupted: boolean;
  stopReason?: { code: StopReasonCode; message: string };
  /** Rows left unfinished for a later run: transient trouble, timeouts, downloads not done. */
  unresolved: number;
  /** Rows not submitted because --max-cost is set and their price is unknown. */
  unpriced: number;
  /** Videos not downloaded because they are larger than the cap (paid, kept for a later run). */
  tooLarge: number;
  /** Completion callbacks this run received: used (woke a task), ignored (repeats, late), refused (bad signature). */
  callbacks?: { received: number; used: number; ignored: number; refused: number };
}

/** Everything the parts of one run share. */
export interface BatchContext {
  options: RunBatchOptions;
  /** The run's settings (options.settings), read under the names they were given. */
  settings: EngineSettings;
  /**
   * Aborted when the work must end: a graceful stop, or an unexpected error anywhere in the run
   * (which then ends everything else before the ledger is closed). Polls, downloads and waits
   * listen on it; a create already on the wire does not.
   */
  signal: AbortSignal;
  jobs: JobStore;
  tasks: TaskStore;
  provider: Provider;
  log: Logger;
  slots: Slots;
  creates: RateLimiter;
  /** How long generations take, learned from this run's finished tasks (drives the polling). */
  generationTimes: GenerationTimes;
  /** When each running task is checked: the status budget spent where finishes are likeliest. */
  planner: PollPlanner;
  /** A finish measured this long (ms) for a kind of job: kept for the next run, said once the kind is known. */
  learned(kind: string, ms: number): void;
  statuses: RateLimiter;
  /** Callbacks cut a task's sleep short. */
  wakeups: TaskWakeups;
  /** A create refused for the account's concurrency waits here for one of our tasks to finish. */
  finishes: TaskFinishes;
  /** With callbacks: applies them to the ledger and the tasks being followed. */
  inbox?: CallbackInbox;
  /** Gets a row's local frames to the provider (uploaded once per account, or checked for inline). */
  frames: FrameDelivery;
  /** Counts this run's finished rows; says when too many failed (--halt-on-failures). */
  failures: ReturnType<typeof createFailureGuard>;
  /** Aborted when submitting must stop (graceful stop, budget, credits, key). */
  submitGate: AbortController;
  outcome: BatchOutcome;
  halt(code: StopReasonCode, message: string): void;
  /** Resolves once few enough finished videos wait for a download (rejects when `gate` aborts). */
  downloadRoom(gate: AbortSignal): Promise<void>;
  /** Starts a download for a task that just reached `generated`. */
  collect(taskId: number): void;
  /** Starts polling a task that is in flight at the provider. */
  watch(taskId: number, resumed?: boolean): void;
  /** Runs a piece of work the run waits for before it ends (an error in it ends the run). */
  spawn(work: Promise<unknown>): void;
}
