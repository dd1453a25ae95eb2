import type Database from "better-sqlite3";
import { createGenerationTimeStore, type GenerationTimeStore } from "./generation-time-store.js";
import { createJobStore, type JobStore } from "./job-store.js";
import { readSpend } from "./summary.js";
import { createTaskStore, type TaskStore } from "./task-store.js";
import { createUploadStore, type UploadStore } from "./upload-store.js";

/** What the engine may touch in the ledger: typed stores, never the database handle. */
export interface BatchStores {
  jobs: JobStore;
  tasks: TaskStore;
  /** Everything charged, or estimated until charged, over all tasks (what a USD budget counts). */
  spentUsd(): number;
  /** The same in the provider's own unit (credits, units): charged, or estimated until charged. */
  spentCredits(): number;
  /** The local frames uploaded to one provider account (its opaque id). */
  uploads(account: string): UploadStore;
  /** How long each kind of job took in earlier runs, and this run's finishes for the next. */
  generationTimes: GenerationTimeStore;
  /** Makes the next run read the input again (a frame changed though the sheet did not). */
  forgetInputFingerprint(): void;
}

export interface StoreHooks {
  /** Throws unless this process still owns the ledger (run-lock's assertOwned), inside the transactions that lead to money. */
  fence?: () => void;
  /** Removes every secret the run knows from provider text before it is stored. */
  redact?: (text: string) => string;
  /**
   * Called after every committed write that changes a row or its task, with the row's key (none for
   * writes that touch many rows at once). Progress counters, written once a second, are not changes.
   */
  onChange?: (rowKey?: string) => void;
  /** Frees the room kept on the ledger's disk (disk-reserve.ts) when the disk is full; true if it did. */
  onFull?: () => boolean;
}

/** The writes of each store that change what a row shows (status, task, video, error). */
const JOB_WRITES = ["setStatus", "requeueFailed", "requeueUnknown", "releaseOrphanedSubmitting"] as const;
const TASK_WRITES = [
  "recordIntent",
  "recordSubmitted",
  "recordRejected",
  "recordUnknown",
  "recordGenerated",
  "recordFailed",
  "recordRetryableFailure",
  "recordDownloaded",
  "recordDownloadError",
  "recordReconciled",
  "recordNotFound",
  "recordRevived",
] as const;

function rowKeyOf(arg: unknown): string | undefined {
  if (typeof arg === "string") return arg;
  if (arg && typeof arg === "object") {
    const o = arg as { row_key?: unknown; rowKey?: unknown };
    if (typeof o.row_key === "string") return o.row_key;
    if (typeof o.rowKey === "string") return o.rowKey;
  }
  return undefined;
}

/** Wraps each named method so that, once it has returned, `onChange` hears which row it changed. */
function reportWrites<S extends object>(
  store: S,
  names: readonly string[],
  onChange: (rowKey?: string) => void,
): S {
  const methods = store as Record<string, unknown>;
  for (const name of names) {
    const write = methods[name];
    if (typeof write !== "function") throw new Error(`the store has no write named ${name}`);
    methods[name] = (...args: unknown[]) => {
      const result = (write as (...a: unknown[]) => unknown)(...args);
      onChange(rowKeyOf(args[0]));
      return result;
    };
  }
  return store;
}

export function createBatchStores(db: Database.Database, hooks: StoreHooks = {}): BatchStores {
  const jobs = createJobStore(db, hooks.redact);
  const tasks = createTaskStore(db, hooks.fence, hooks.redact, hooks.onFull);
  if (hooks.onChange) {
    reportWrites(jobs, JOB_WRITES, hooks.onChange);
    reportWrites(tasks, TASK_WRITES, hooks.onChange);
  }
  return {
    jobs,
    tasks,
    spentUsd: () => readSpend(db).totalUsd,
    spentCredits: () => readSpend(db).totalCredits,
    uploads: (account) => createUploadStore(db, account),
    generationTimes: createGenerationTimeStore(db),
    forgetInputFingerprint: () => {
      db.prepare("DELETE FROM batch_meta WHERE key = 'input_fingerprint'").run();
    },
  };
}
