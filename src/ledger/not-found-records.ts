import type Database from "better-sqlite3";
import { nowIso } from "../util/time.js";
import type { durableTransaction } from "./durable-transaction.js";
import type { TaskRow } from "./types.js";

/**
 * The task store's records of tasks the provider says it does not know (another key or account,
 * expired records, an outage): counted per run, given up as `unknown` only after two runs far
 * enough apart (or a whole window), and revived when the provider knows them again.
 */
export function createNotFoundRecords(
  db: Database.Database,
  durable: ReturnType<typeof durableTransaction>,
  clean: (text: string) => string,
  /** The task store's own reads and job write, so both tables change in one transaction. */
  store: { get(id: number): TaskRow; job: Database.Statement },
) {
  const { get, job } = store;
  const notFound = db.prepare(
    "UPDATE tasks SET not_found_runs = ?, not_found_since = ?, updated_at = ? WHERE id = ?",
  );
  const revive = db.prepare(
    "UPDATE tasks SET state = 'running', error_code = NULL, error = NULL, updated_at = ? WHERE id = ?",
  );
  const lostTask = db.prepare(
    "UPDATE tasks SET state = 'unknown', error_code = 'NOT_FOUND', error = ?, updated_at = ? WHERE id = ?",
  );

  return {
    /**
     * The provider answered "no such task" for the whole of this run's grace. The second run that
     * hears it (or the first after `windowMs` since it was first heard) gives the task up as
     * `unknown`: the row leaves `running`, is listed with the failures, and only --resubmit-unknown
     * submits it again. Returns what the task is now.
     */
    recordNotFound: durable(
      (task: TaskRow, message: (runs: number) => string, windowMs: { minApart: number; giveUp: number }) => {
        const current = get(task.id);
        const now = nowIso();
        const runs = current.not_found_runs + 1;
        const since = current.not_found_since ?? now;
        notFound.run(runs, since, now, task.id);
        const heardFor = Date.parse(now) - Date.parse(since);
        // Two runs, far enough apart that a passing outage or a wrong key fixed in between is not
        // taken for a lost task; or the whole window.
        if (!((runs >= 2 && heardFor >= windowMs.minApart) || heardFor >= windowMs.giveUp))
          return "running" as const;
        const error = clean(message(runs));
        lostTask.run(error, now, task.id);
        job.run("unknown", error, now, task.row_key);
        return "unknown" as const;
      },
    ),

    /** The provider knows the task again: earlier "not found" answers were passing. */
    clearNotFound: (task: TaskRow) => void notFound.run(0, null, nowIso(), task.id),

    /** A task given up as not found that the provider knows again: it is followed once more. */
    recordRevived: durable((task: TaskRow) => {
      const now = nowIso();
      notFound.run(0, null, now, task.id);
      revive.run(now, task.id);
      job.run("running", null, now, task.row_key);
    }),
  };
}
