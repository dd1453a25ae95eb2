import type Database from "better-sqlite3";
import { hasMarks } from "./mark-store.js";
import { TASK_COST_SQL } from "./types.js";

/** One attempt of a row (a task), as the review shows its history. */
export interface ReviewAttempt {
  id: number;
  attempt: number;
  state: string;
  model: string;
  video_path: string | null;
  error: string | null;
  submitted_at: string | null;
  finished_at: string | null;
  cost_usd: number;
}

/** One input row with what a reviewer needs: its result, its mark, every attempt. */
export interface ReviewRow {
  row_key: string;
  row_index: number;
  line: number;
  input_json: string;
  spec_json: string | null;
  status: string;
  video_path: string | null;
  error: string | null;
  cost_usd: number;
  unpriced: number;
  mark: string | null;
  note: string;
  attempts: ReviewAttempt[];
}

const ROW_SQL = (marks: boolean, since: boolean) => `SELECT j.row_key, j.row_index, j.line, j.input_json,
    j.spec_json, j.status, j.video_path, j.error,
    (SELECT COALESCE(SUM(${TASK_COST_SQL}), 0) FROM tasks t WHERE t.row_key = j.row_key) AS cost_usd,
    EXISTS (SELECT 1 FROM tasks t WHERE t.row_key = j.row_key AND t.charged_usd IS NULL
      AND t.price_source LIKE 'unknown:%' AND t.state IN ('submitting','unknown','running','generated','succeeded')) AS unpriced,
    ${marks ? "m.mark, COALESCE(m.note, '') AS note" : "NULL AS mark, '' AS note"}
  FROM jobs j ${marks ? "LEFT JOIN marks m USING (row_key)" : ""}
  WHERE j.row_index > @after ${
    since
      ? `AND (j.updated_at >= @since OR EXISTS (SELECT 1 FROM tasks t WHERE t.row_key = j.row_key AND t.updated_at >= @since)
        ${marks ? "OR m.marked_at >= @since" : ""})`
      : ""
  }
  ORDER BY j.row_index LIMIT @limit`;

/**
 * Reads the input's rows for the review page and the report, a page at a time (no iterator is left
 * open across awaits), each with its attempts. With `since` (an ISO time), only the rows that
 * changed at or after it: the live page asks for what changed since its last answer.
 */
export function readReviewRows(db: Database.Database, options: { since?: string } = {}): ReviewRow[] {
  const marks = hasMarks(db);
  const hasTaskVideo = marks; // both came with the same migration
  const page = db.prepare(ROW_SQL(marks, options.since !== undefined));
  const attempts =
    db.prepare(`SELECT id, attempt, state, model, ${hasTaskVideo ? "video_path" : "NULL AS video_path"},
      error, submitted_at, finished_at, ${TASK_COST_SQL} AS cost_usd
    FROM tasks WHERE row_key = ? AND state != 'rejected' ORDER BY id`);
  const rows: ReviewRow[] = [];
  let after = 0;
  for (;;) {
    const got = page.all({ after, limit: 500, ...(options.since ? { since: options.since } : {}) }) as Omit<
      ReviewRow,
      "attempts"
    >[];
    for (const row of got) rows.push({ ...row, attempts: attempts.all(row.row_key) as ReviewAttempt[] });
    if (got.length < 500) return rows;
    after = (got.at(-1) as { row_index: number }).row_index;
  }
}

/** The latest change the ledger records (a row, a task or a mark), ISO: the live page's clock. */
export function readLatestChange(db: Database.Database): string {
  const marks = hasMarks(db) ? "UNION ALL SELECT MAX(marked_at) FROM marks" : "";
  const row = db
    .prepare(`SELECT MAX(t) AS at FROM (SELECT MAX(updated_at) AS t FROM jobs
      UNION ALL SELECT MAX(updated_at) FROM tasks ${marks})`)
    .get() as { at: string | null };
  return row.at ?? "";
}

/** The input's row keys in input order (the live page drops cards of rows no longer in the input). */
export function readRowKeys(db: Database.Database): string[] {
  return (
    db.prepare("SELECT row_key FROM jobs WHERE row_index IS NOT NULL ORDER BY row_index").all() as {
      row_key: string;
    }[]
  ).map((r) => r.row_key);
}

/** What the review server looks up for one row: the files the ledger names, its spec, its mark. */
export function createReviewMedia(db: Database.Database) {
  const video =
    db.prepare(`SELECT COALESCE((SELECT video_path FROM tasks WHERE id = @task AND row_key = @row),
      (SELECT video_path FROM jobs WHERE row_key = @row)) AS path`);
  const spec = db.prepare("SELECT spec_json FROM jobs WHERE row_key = ?");
  const mark = db.prepare("SELECT mark, note FROM marks WHERE row_key = ?");
  return {
    /** The video of this attempt of the row (`task`), or the row's latest one. */
    videoPath: (row: string, task: number) =>
      (video.get({ row, task }) as { path: string | null } | undefined)?.path ?? null,
    specJson: (row: string) => (spec.get(row) as { spec_json: string | null } | undefined)?.spec_json ?? null,
    markOf: (row: string) => mark.get(row) as { mark: string | null; note: string } | undefined,
  };
}
