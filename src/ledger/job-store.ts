import type Database from "better-sqlite3";
import { specIdentity } from "../job/spec-identity.js";
import { nowIso } from "../util/time.js";
import type { JobRow, JobStatus } from "./types.js";

export interface SyncedRow {
  key: string;
  index: number;
  line: number;
  cells: string[];
  /** JSON of the validated JobSpec, or null for an invalid row. */
  specJson: string | null;
  /** File name (no extension) for the row's video; kept from the first sync on. */
  videoName: string;
  error: string | null;
  estimatedCostUsd: number | null;
}

/** What the row was before the sync, what it is now, and whether a submitted row's request changed. */
export type SyncOutcome = {
  previous: JobStatus | undefined;
  status: JobStatus;
  editedAfterSubmit: boolean;
  /** A failed row whose request was edited (a prompt the content filter refused): it goes again. */
  editedAfterFailure?: boolean;
};

/** Typed access to the jobs table: one row per input row, keyed by its stable row key. */
export function createJobStore(
  db: Database.Database,
  /** Removes every known secret from text before it is stored. */
  redact: (text: string) => string = (text) => text,
) {
  const get = db.prepare("SELECT * FROM jobs WHERE row_key = ?");
  const insert =
    db.prepare(`INSERT INTO jobs (row_key, row_index, line, input_json, spec_json, status, video_name, error, estimated_cost_usd, created_at, updated_at)
    VALUES (@key, @index, @line, @input, @spec, @status, @videoName, @error, @estimate, @now, @now)`);
  // Case-insensitive: on macOS and Windows "Clip" and "clip" are the same file.
  const nameTaken = db.prepare(
    "SELECT 1 FROM jobs WHERE video_name = ? COLLATE NOCASE AND row_key != ? LIMIT 1",
  );
  // Rows not yet sent may take the edited request; rows already sent keep the request they were sent with.
  const updateUnsent =
    db.prepare(`UPDATE jobs SET row_index = @index, line = @line, input_json = @input, spec_json = @spec,
    status = @status, error = @error, estimated_cost_usd = @estimate, updated_at = @now WHERE row_key = @key`);
  const updatePlacement = db.prepare(
    "UPDATE jobs SET row_index = @index, line = @line, input_json = @input, updated_at = @now WHERE row_key = @key",
  );
  // The same request with its frames somewhere else (the folder moved): the new places are kept.
  const updateFramePlaces = db.prepare("UPDATE jobs SET spec_json = @spec WHERE row_key = @key");
  const clearIndexes = db.prepare("UPDATE jobs SET row_index = NULL WHERE row_index IS NOT NULL");
  const anyJob = db.prepare("SELECT 1 FROM jobs LIMIT 1");
  const keptByReview = db.prepare("SELECT 1 FROM marks WHERE row_key = ? AND mark = 'keep'");
  /** A sync into an empty ledger: every row is new (keys are unique within one input). */
  let syncingFresh = false;
  const nextPending = db.prepare(
    "SELECT * FROM jobs WHERE status = 'pending' AND row_index > ? ORDER BY row_index LIMIT ?",
  );
  const setStatus = db.prepare("UPDATE jobs SET status = ?, error = ?, updated_at = ? WHERE row_key = ?");
  const requeueFailed = db.prepare(`UPDATE jobs SET status = 'pending', error = NULL, updated_at = @now
    WHERE status = 'failed' AND row_index IS NOT NULL AND spec_json IS NOT NULL
      AND (SELECT COUNT(*) FROM tasks t WHERE t.row_key = jobs.row_key AND t.state != 'rejected'
        AND t.retryable = 0) < @max
      AND row_key NOT IN (SELECT row_key FROM marks WHERE mark = 'keep')`);
  const requeueUnknown = db.prepare(`UPDATE jobs SET status = 'pending', error = NULL, updated_at = @now
    WHERE status = 'unknown' AND row_index IS NOT NULL AND spec_json IS NOT NULL
      AND row_key NOT IN (SELECT value FROM json_each(@except))`);
  const releaseOrphans =
    db.prepare(`UPDATE jobs SET status = 'pending', updated_at = ? WHERE status = 'submitting'
      AND NOT EXISTS (SELECT 1 FROM tasks t WHERE t.row_key = jobs.row_key AND t.state = 'submitting')`);

  return {
    get: (key: string) => get.get(key) as JobRow | undefined,
    statusOf: (key: string) => (get.get(key) as JobRow | undefined)?.status,

    /** Forget every row's position; the sync that follows places the rows present in the input. */
    beginSync: () => {
      syncingFresh = anyJob.get() === undefined;
      clearIndexes.run();
    },

    sync(row: SyncedRow): SyncOutcome {
      const existing = syncingFresh ? undefined : (get.get(row.key) as JobRow | undefined);
      const params = {
        key: row.key,
        index: row.index,
        line: row.line,
        input: JSON.stringify(row.cells),
        spec: row.specJson,
        status: (row.specJson === null ? "invalid" : "pending") as JobStatus,
        error: row.error === null ? null : redact(row.error),
        estimate: row.estimatedCostUsd,
        videoName: row.videoName,
        now: nowIso(),
      };
      if (!existing) {
        // Two rows may slug to the same name; the later one gets its key's hash appended.
        if (nameTaken.get(row.videoName, row.key))
          params.videoName = `${row.videoName}-${row.key.replace(/[^a-z0-9]/gi, "").slice(-8)}`;
        insert.run(params);
        return { previous: undefined, status: params.status, editedAfterSubmit: false };
      }
      if (existing.status === "pending" || existing.status === "invalid") {
        updateUnsent.run(params);
        return { previous: existing.status, status: params.status, editedAfterSubmit: false };
      }
      // A failed row edited in the sheet (the usual answer to a content-filter refusal) takes the
      // new request and goes again, unless a reviewer marked it Keep.
      if (
        existing.status === "failed" &&
        row.specJson !== null &&
        existing.spec_json !== null &&
        specIdentity(row.specJson) !== specIdentity(existing.spec_json) &&
        keptByReview.get(row.key) === undefined
      ) {
        updateUnsent.run(params);
        return {
          previous: "failed",
          status: params.status,
          editedAfterSubmit: false,
          editedAfterFailure: true,
        };
      }
      updatePlacement.run(params);
      let edited = false;
      if (row.specJson !== null && existing.spec_json !== null && row.specJson !== existing.spec_json) {
        edited = specIdentity(row.specJson) !== specIdentity(existing.spec_json);
        if (!edited) updateFramePlaces.run(params);
      }
      return { previous: existing.status, status: existing.status, editedAfterSubmit: edited };
    },

    nextPending: (afterIndex: number, limit: number) => nextPending.all(afterIndex, limit) as JobRow[],
    setStatus: (key: string, status: JobStatus, error: string | null) =>
      void setStatus.run(status, error === null ? null : redact(error), nowIso(), key),
    /**
     * --retry-failed: failed rows with fewer than `maxAttempts` tasks go back to pending. The
     * provider's own failures that charged nothing (already retried on their own) do not count, and
     * a row a reviewer marked Keep is kept as it is.
     */
    requeueFailed: (maxAttempts: number) => requeueFailed.run({ max: maxAttempts, now: nowIso() }).changes,
    /** --resubmit-unknown: the user accepts that these rows may be paid twice. */
    requeueUnknown: (except: readonly string[] = []) =>
      requeueUnknown.run({ now: nowIso(), except: JSON.stringify(except) }).changes,
    /** A run that died while waiting to retry a refused create left its row `submitting` with no task on the wire. */
    releaseOrphanedSubmitting: () => releaseOrphans.run(nowIso()).changes,
  };
}

export type JobStore = ReturnType<typeof createJobStore>;
