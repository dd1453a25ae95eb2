import type { JobStore } from "../ledger/job-store.js";
import type { TaskRow } from "../ledger/types.js";

/** The input line of a task's row, as messages name it ("?" if the row is gone from the ledger). */
export function lineOf(jobs: JobStore, task: TaskRow): string {
  return String(jobs.get(task.row_key)?.line ?? "?");
}
