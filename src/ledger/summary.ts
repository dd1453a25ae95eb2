import type Database from "better-sqlite3";
import { isSelectedLine, type RowSelection } from "../job/row-selection.js";
import { TASK_COST_SQL, TASK_CREDITS_SQL } from "./types.js";

export interface Spend {
  /** Everything charged or (until the provider reports a charge) estimated, over all tasks. */
  totalUsd: number;
  /** The part of totalUsd that is still an estimate. */
  estimatedUsd: number;
  chargedCredits: number;
  /** Credits (the provider's unit) charged, or estimated until charged, over all tasks. */
  totalCredits: number;
  /** Tasks that exist or may exist, of a price no documented table gives and not yet charged. */
  unpricedTasks: number;
}

export function readSpend(db: Database.Database): Spend {
  const row = db
    .prepare(`SELECT COALESCE(SUM(${TASK_COST_SQL}), 0) AS total,
        COALESCE(SUM(CASE WHEN charged_usd IS NULL THEN ${TASK_COST_SQL} ELSE 0 END), 0) AS estimated,
        COALESCE(SUM(charged_credits), 0) AS credits,
        COALESCE(SUM(${TASK_CREDITS_SQL}), 0) AS totalCredits,
        COALESCE(SUM(CASE WHEN charged_usd IS NULL AND price_source LIKE 'unknown:%'
          AND state IN ('submitting','unknown','running','generated','succeeded') THEN 1 ELSE 0 END), 0) AS unpriced
      FROM tasks`)
    .get() as { total: number; estimated: number; credits: number; totalCredits: number; unpriced: number };
  return {
    totalUsd: row.total,
    estimatedUsd: row.estimated,
    chargedCredits: row.credits,
    totalCredits: row.totalCredits,
    unpricedTasks: row.unpriced,
  };
}

/** Spend by the model each task ran on (as its row named it), most spent first. */
export function readSpendByModel(
  db: Database.Database,
): { model: string; tasks: number; usd: number; estimatedUsd: number }[] {
  return db
    .prepare(`SELECT model, COUNT(*) AS tasks, COALESCE(SUM(${TASK_COST_SQL}), 0) AS usd,
        COALESCE(SUM(CASE WHEN charged_usd IS NULL THEN ${TASK_COST_SQL} ELSE 0 END), 0) AS estimatedUsd
      FROM tasks WHERE state != 'rejected' GROUP BY model ORDER BY usd DESC, model`)
    .all() as { model: string; tasks: number; usd: number; estimatedUsd: number }[];
}

/** Rows of the current input by status (rows no longer in the input are left out). */
export function countByStatus(db: Database.Database): Record<string, number> {
  const rows = db
    .prepare("SELECT status, COUNT(*) AS n FROM jobs WHERE row_index IS NOT NULL GROUP BY status")
    .all() as { status: string; n: number }[];
  return Object.fromEntries(rows.map((r) => [r.status, r.n]));
}

/**
 * What planning an unchanged input would count, read from the ledger instead of the input: rows,
 * invalid ones, text- and image-to-video, pending rows of unknown price, the input mapping.
 */
export function readStoredPlan(db: Database.Database) {
  const counts = db
    .prepare(`SELECT COUNT(*) AS rows,
        COALESCE(SUM(spec_json IS NULL), 0) AS invalid,
        COALESCE(SUM(spec_json IS NOT NULL AND json_extract(spec_json, '$.imageUrl') IS NOT NULL), 0) AS imageToVideo,
        COALESCE(SUM(status = 'pending' AND spec_json IS NOT NULL AND estimated_cost_usd IS NULL), 0) AS unknownPriceRows
      FROM jobs WHERE row_index IS NOT NULL`)
    .get() as { rows: number; invalid: number; imageToVideo: number; unknownPriceRows: number };
  const mapping = db.prepare("SELECT value FROM batch_meta WHERE key = 'input_mapping'").get() as
    | { value: string }
    | undefined;
  return {
    ...counts,
    textToVideo: counts.rows - counts.invalid - counts.imageToVideo,
    inputMapping: mapping ? (JSON.parse(mapping.value) as string[]) : [],
  };
}

/** Estimated cost of the rows still to submit. */
export function readRemainingEstimate(db: Database.Database): number {
  const row = db
    .prepare(
      "SELECT COALESCE(SUM(estimated_cost_usd), 0) AS usd FROM jobs WHERE row_index IS NOT NULL AND status IN ('pending', 'submitting')",
    )
    .get() as { usd: number };
  return row.usd;
}

export interface ResultRow {
  row_key: string;
  row_index: number;
  line: number | null;
  spec_json: string | null;
  input_json: string;
  status: string;
  video_path: string | null;
  error: string | null;
  task_id: string | null;
  video_url: string | null;
  cost_usd: number;
  /** 1 when a task of the row has a price no documented table gives: its cost is unknown, not 0. */
  unpriced: number;
  attempts: number;
  /** The latest attempt's model (as the row named it), and when it was submitted and ended (ISO, UTC). */
  model: string | null;
  submitted_at: string | null;
  finished_at: string | null;
}

/**
 * One row per input row, in input order, with its latest task and total cost, a page at a time.
 * Pages rather than one open iterator: an iterator would keep the connection busy across the
 * writer's awaits, and the engine's writes on the same connection would fail meanwhile.
 */
export function* iterateResults(db: Database.Database, pageSize = 500): Generator<ResultRow> {
  const page =
    db.prepare(`SELECT j.row_key, j.row_index, j.line, j.spec_json, j.input_json, j.status, j.video_path,
        (SELECT CASE WHEN j.error IS NULL THEN w WHEN w IS NULL THEN j.error ELSE j.error || ' · ' || w END
          FROM (SELECT (SELECT charge_warning FROM tasks t WHERE t.row_key = j.row_key
            AND t.charge_warning IS NOT NULL ORDER BY t.id DESC LIMIT 1) AS w)) AS error,
        (SELECT task_id FROM tasks t WHERE t.row_key = j.row_key AND t.task_id IS NOT NULL ORDER BY t.id DESC LIMIT 1) AS task_id,
        (SELECT video_url FROM tasks t WHERE t.row_key = j.row_key AND t.video_url IS NOT NULL ORDER BY t.id DESC LIMIT 1) AS video_url,
        (SELECT COALESCE(SUM(${TASK_COST_SQL}), 0) FROM tasks t WHERE t.row_key = j.row_key) AS cost_usd,
        EXISTS (SELECT 1 FROM tasks t WHERE t.row_key = j.row_key AND t.charged_usd IS NULL
          AND t.price_source LIKE 'unknown:%' AND (t.state IN ('submitting','unknown','running','generated','succeeded')
            OR t.charged_credits > 0)) AS unpriced,
        (SELECT COUNT(*) FROM tasks t WHERE t.row_key = j.row_key AND t.state != 'rejected') AS attempts,
        l.model, l.submitted_at, l.finished_at
      FROM jobs j LEFT JOIN tasks l ON l.id = (SELECT MAX(t.id) FROM tasks t WHERE t.row_key = j.row_key AND t.state != 'rejected')
      WHERE j.row_index > ? ORDER BY j.row_index LIMIT ?`);
  let after = 0;
  for (;;) {
    const rows = page.all(after, pageSize) as ResultRow[];
    yield* rows;
    if (rows.length < pageSize) return;
    after = (rows.at(-1) as ResultRow).row_index;
  }
}

export interface ProblemRow {
  line: number;
  row_key: string;
  status: string;
  error: string | null;
}

/** Rows of these statuses in input order, with their line and error (first `limit` of them). */
export function listRowsByStatus(
  db: Database.Database,
  statuses: readonly string[],
  limit = 1_000_000,
): ProblemRow[] {
  const marks = statuses.map(() => "?").join(",");
  return db
    .prepare(
      `SELECT line, row_key, status, error FROM jobs WHERE row_index IS NOT NULL AND status IN (${marks}) ORDER BY row_index LIMIT ?`,
    )
    .all(...statuses, limit) as ProblemRow[];
}

/** When the batch's first task was created and its last one changed (ISO), if it has tasks. */
export function readBatchSpan(db: Database.Database): { first: string; last: string } | undefined {
  const row = db.prepare("SELECT MIN(created_at) AS first, MAX(updated_at) AS last FROM tasks").get() as {
    first: string | null;
    last: string | null;
  };
  return row.first && row.last ? { first: row.first, last: row.last } : undefined;
}

/** The estimate of the pending rows a run will take: the first `limit` of them on `lines`. */
export function readSelectedEstimate(
  db: Database.Database,
  select: RowSelection,
): { rows: number; usd: number } {
  const rows = db
    .prepare(
      "SELECT line, estimated_cost_usd AS usd FROM jobs WHERE row_index IS NOT NULL AND status = 'pending' ORDER BY row_index",
    )
    .iterate() as Iterable<{ line: number; usd: number | null }>;
  let count = 0;
  let usd = 0;
  for (const row of rows) {
    if (select.limit !== undefined && count >= select.limit) break;
    if (!isSelectedLine(select, row.line)) continue;
    count++;
    usd += row.usd ?? 0;
  }
  return { rows: count, usd };
}
