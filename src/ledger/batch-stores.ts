import type Database from "better-sqlite3";
import { createJobStore, type JobStore } from "./job-store.js";
import { readSpend } from "./summary.js";
import { createTaskStore, type TaskStore } from "./task-store.js";

/** What the engine may touch in the ledger: typed stores, never the database handle. */
export interface BatchStores {
  jobs: JobStore;
  tasks: TaskStore;
  /** Everything charged, or estimated until charged, over all tasks (what --max-cost counts). */
  spentUsd(): number;
  /** The same in the provider's own unit (credits, units): charged, or estimated until charged. */
  spentCredits(): number;
}

/**
 * `redact` removes every secret the run knows from provider text before it is stored.
 * `fence` throws unless this process still owns the ledger (run-lock's assertOwned): the task store
 * calls it inside the transactions that lead to money.
 */
export function createBatchStores(
  db: Database.Database,
  fence?: () => void,
  redact?: (text: string) => string,
): BatchStores {
  return {
    jobs: createJobStore(db, redact),
    tasks: createTaskStore(db, fence, redact),
    spentUsd: () => readSpend(db).totalUsd,
    spentCredits: () => readSpend(db).totalCredits,
  };
}
