import type Database from "better-sqlite3";
import { nowIso } from "../util/time.js";
import { readMeta, writeMeta } from "./batch-meta.js";

/** A reviewer's verdict on a row: keep it as it is, or redo it (a new, paid attempt) on `run --redo`. */
export const MARKS = ["keep", "redo"] as const;
export type Mark = (typeof MARKS)[number];

export interface MarkRow {
  row_key: string;
  line: number;
  mark: Mark | null;
  note: string;
  marked_at: string;
}

/** Whether the ledger has the marks table (a ledger read, not upgraded, by an older schema has none). */
export function hasMarks(db: Database.Database): boolean {
  return (
    db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'marks'").get() !== undefined
  );
}

/** Every row of the input that has a mark or a note, in input order (the marks export). */
export function listMarks(db: Database.Database): MarkRow[] {
  if (!hasMarks(db)) return [];
  return db
    .prepare(`SELECT m.row_key, j.line, m.mark, m.note, m.marked_at FROM marks m JOIN jobs j USING (row_key)
      WHERE j.row_index IS NOT NULL AND (m.mark IS NOT NULL OR m.note != '') ORDER BY j.row_index`)
    .all() as MarkRow[];
}

/** Rows by mark (keep, redo, none) among the input's rows. */
export function countMarks(db: Database.Database): Record<string, number> {
  if (!hasMarks(db)) return {};
  const rows = db
    .prepare(`SELECT m.mark, COUNT(*) AS n FROM marks m JOIN jobs j USING (row_key)
      WHERE j.row_index IS NOT NULL AND m.mark IS NOT NULL GROUP BY m.mark`)
    .all() as { mark: string; n: number }[];
  return Object.fromEntries(rows.map((r) => [r.mark, r.n]));
}

/** Rows marked Redo that have a result to replace, and a new attempt's estimate (a dry run's view). */
export function readRedoEstimate(db: Database.Database): { rows: number; usd: number } {
  if (!hasMarks(db)) return { rows: 0, usd: 0 };
  return db
    .prepare(`SELECT COUNT(*) AS rows, COALESCE(SUM(estimated_cost_usd), 0) AS usd FROM jobs
      WHERE row_index IS NOT NULL AND spec_json IS NOT NULL AND status IN ('succeeded', 'failed')
        AND row_key IN (SELECT row_key FROM marks WHERE mark = 'redo')`)
    .get() as { rows: number; usd: number };
}

/** Failed rows a reviewer marked Keep: never submitted again, so never suggested for --retry-failed. */
export function listKeptFailed(db: Database.Database): number[] {
  if (!hasMarks(db)) return [];
  return (
    db
      .prepare(`SELECT j.line FROM jobs j JOIN marks m USING (row_key)
        WHERE j.row_index IS NOT NULL AND j.status = 'failed' AND m.mark = 'keep' ORDER BY j.row_index`)
      .all() as { line: number }[]
  ).map((r) => r.line);
}

/** Where `run --redo` records the rows it put back, and each one's latest attempt then. */
const REDO_META = "redo_requeued";

/** The statuses a row marked Redo is submitted again from: it has a result to replace. */
const REDOABLE = "('succeeded', 'failed')";

/**
 * Marks and notes, written by `vidbatch review` (never by a run's engine, which only clears a Redo
 * once its new attempt is submitted: task-store's recordSubmitted).
 */
export function createMarkStore(db: Database.Database) {
  const row = db.prepare("SELECT row_key, line FROM jobs WHERE row_key = ? AND row_index IS NOT NULL");
  const latestTask = db.prepare("SELECT MAX(id) AS id FROM tasks WHERE row_key = ?");
  const upsert = db.prepare(`INSERT INTO marks (row_key, mark, note, task_id, marked_at)
      VALUES (@key, @mark, @note, @task, @now)
    ON CONFLICT (row_key) DO UPDATE SET mark = @mark, note = @note, task_id = @task, marked_at = @now`);
  const get = db.prepare("SELECT mark, note FROM marks WHERE row_key = ?");
  const newerAttempt = db.prepare(
    "SELECT 1 FROM tasks WHERE row_key = ? AND id > ? AND state != 'rejected' LIMIT 1",
  );
  const clearRedoMark = db.prepare(
    "UPDATE marks SET mark = NULL, marked_at = ? WHERE row_key = ? AND mark = 'redo'",
  );
  const toRequeue = db.prepare(`SELECT row_key, line, status, error, estimated_cost_usd AS usd FROM jobs
    WHERE row_index IS NOT NULL AND spec_json IS NOT NULL AND status IN ${REDOABLE}
      AND row_key IN (SELECT row_key FROM marks WHERE mark = 'redo')`);
  const requeue = db.prepare(
    "UPDATE jobs SET status = 'pending', error = NULL, updated_at = ? WHERE row_key = ?",
  );
  // A row --redo put back to pending that no new attempt followed (a --limit, a budget, a crash):
  // back to what its last attempt made, so it never waits as "pending" for a plain run to pay.
  const restore = db.prepare(`UPDATE jobs SET updated_at = @now,
      status = (SELECT CASE t.state WHEN 'succeeded' THEN 'succeeded' ELSE 'failed' END FROM tasks t
        WHERE t.row_key = jobs.row_key AND t.state != 'rejected' ORDER BY t.id DESC LIMIT 1),
      error = (SELECT t.error FROM tasks t WHERE t.row_key = jobs.row_key AND t.state != 'rejected'
        ORDER BY t.id DESC LIMIT 1)
    WHERE status = 'pending' AND row_key IN (SELECT row_key FROM marks WHERE mark = 'redo')
      AND (SELECT t.state FROM tasks t WHERE t.row_key = jobs.row_key AND t.state != 'rejected'
        ORDER BY t.id DESC LIMIT 1) IN ('succeeded', 'failed')`);
  const notRedoable = db.prepare(`SELECT j.line, j.status FROM marks m JOIN jobs j USING (row_key)
    WHERE m.mark = 'redo' AND j.row_index IS NOT NULL
      AND (j.status NOT IN ${REDOABLE} OR j.spec_json IS NULL) ORDER BY j.row_index`);

  return {
    /**
     * Sets a row's mark and note (undefined keeps what is there; null clears the mark). Returns the
     * row's line, or undefined when the input has no such row.
     */
    set(rowKey: string, change: { mark?: Mark | null; note?: string }): { line: number } | undefined {
      return db
        .transaction(() => {
          const found = row.get(rowKey) as { line: number } | undefined;
          if (!found) return undefined;
          const before = get.get(rowKey) as { mark: Mark | null; note: string } | undefined;
          upsert.run({
            key: rowKey,
            mark: change.mark === undefined ? (before?.mark ?? null) : change.mark,
            note: change.note ?? before?.note ?? "",
            task: (latestTask.get(rowKey) as { id: number | null }).id,
            now: nowIso(),
          });
          return { line: found.line };
        })
        .immediate();
    },
    /**
     * `run --redo`: rows marked Redo that have a result (succeeded or failed) go back to pending, so
     * the run submits a new attempt for each; the earlier attempts and their videos stay.
     */
    requeueRedo: (
      /** Rows to leave as they are (a failure the same request would meet again), by their error. */
      skip: (row: { status: string; error: string | null }) => boolean = () => false,
    ): { rows: number; usd: number; keys: string[]; skipped: number[] } =>
      db
        .transaction(() => {
          type Candidate = {
            row_key: string;
            line: number;
            status: string;
            error: string | null;
            usd: number | null;
          };
          const all = toRequeue.all() as Candidate[];
          const now = nowIso();
          const taken = all.filter((r) => !skip(r));
          for (const row of taken) requeue.run(now, row.row_key);
          // Kept in the ledger: if this run dies after a new attempt went out and before its mark was
          // cleared, the next run still knows the mark has done its work (settleEarlierRedo).
          const since: Record<string, number> = {};
          for (const row of taken)
            since[row.row_key] = (latestTask.get(row.row_key) as { id: number | null }).id ?? 0;
          writeMeta(db, REDO_META, JSON.stringify(since));
          return {
            rows: taken.length,
            usd: taken.reduce((sum, r) => sum + (r.usd ?? 0), 0),
            keys: taken.map((r) => r.row_key),
            skipped: all.filter((r) => skip(r)).map((r) => r.line),
          };
        })
        .immediate(),
    /**
     * Rows an earlier `--redo` put back: where a new attempt went out since (the run may have died
     * before clearing the mark), the Redo mark has done its work and is cleared; the record is dropped.
     */
    settleEarlierRedo: (): number =>
      db
        .transaction(() => {
          const since = JSON.parse(readMeta(db, REDO_META) ?? "{}") as Record<string, number>;
          let cleared = 0;
          for (const [key, taskId] of Object.entries(since))
            if (newerAttempt.get(key, taskId) !== undefined)
              cleared += clearRedoMark.run(nowIso(), key).changes;
          writeMeta(db, REDO_META, "{}");
          return cleared;
        })
        .immediate(),
    /** Rows marked Redo left pending with no new attempt go back to their last attempt's status. */
    restoreUnsubmitted: (): number => restore.run({ now: nowIso() }).changes,
    /** Rows marked Redo that have a result, and what a new attempt of each is estimated to cost. */
    redoable: () => readRedoEstimate(db),
    /** Rows marked Redo that `requeueRedo` leaves alone: still running, not yet submitted, invalid. */
    redoWaiting: () => notRedoable.all() as { line: number; status: string }[],
  };
}

export type MarkStore = ReturnType<typeof createMarkStore>;

/**
 * Clears the Redo mark of a row that `run --redo` put back to pending once its new attempt is
 * submitted (its note stays). Only those rows: a mark made during the run, on a row the run
 * submits again on its own (a provider failure that charged nothing), stays for the next --redo.
 */
export function createRedoClearer(db: Database.Database) {
  const redone = new Set<string>();
  const clear = hasMarks(db)
    ? db.prepare("UPDATE marks SET mark = NULL, marked_at = ? WHERE row_key = ? AND mark = 'redo'")
    : undefined;
  return {
    expect: (keys: readonly string[]) => {
      for (const key of keys) redone.add(key);
    },
    submitted: (rowKey: string, now: string) => {
      if (redone.delete(rowKey)) clear?.run(now, rowKey);
    },
  };
}
