import type Database from "better-sqlite3";
import { nowIso } from "../util/time.js";
import { durableTransaction } from "./durable-transaction.js";
import { createRedoClearer } from "./mark-store.js";
import { createNotFoundRecords } from "./not-found-records.js";
import type { JobStatus, TaskRow, TaskState } from "./types.js";

/** A submission about to be sent, as the engine computed it. */
export interface IntentInput {
  rowKey: string;
  /** The row's next attempt number (`nextAttempt`). */
  attempt: number;
  provider: string;
  model: string;
  /** The provider idempotency key for this attempt. */
  externalId: string;
  /** The request body, stored exactly as it will be sent. */
  request: unknown;
  estimatedCostUsd: number;
  estimatedCredits: number | undefined;
  priceSource: string;
}

export interface Charge {
  chargedCredits?: number;
  chargedUsd?: number;
  /** Set when the provider's own figure was not believed (batch/check-charge). */
  warning?: string;
}

/**
 * Typed access to the tasks table. Every method that changes a task also sets its job's status in
 * the same transaction, so the two tables can never disagree after a crash.
 */
export function createTaskStore(
  db: Database.Database,
  fence: () => void = () => {},
  /** Removes every known secret from provider text before it is stored (see util/redact). */
  redact: (text: string) => string = (text) => text,
  /** Frees the room kept on the ledger's disk when a write that decides money finds it full. */
  onFull?: () => boolean,
) {
  const clean = <T extends string | null | undefined>(text: T): T =>
    (typeof text === "string" ? redact(text) : text) as T;
  const durable = durableTransaction(db, onFull);
  const countForRow = db.prepare("SELECT COUNT(*) AS n FROM tasks WHERE row_key = ?");
  const insert =
    db.prepare(`INSERT INTO tasks (row_key, attempt, provider, model, external_id, state, request_json,
      estimated_cost_usd, estimated_credits, price_source, created_at, updated_at)
    VALUES (@rowKey, @attempt, @provider, @model, @externalId, 'submitting', @request, @estimate, @credits, @source, @now, @now)`);
  const byId = db.prepare("SELECT * FROM tasks WHERE id = ?");
  const byExternalId = db.prepare("SELECT * FROM tasks WHERE external_id = ?");
  const byState = db.prepare("SELECT * FROM tasks WHERE state = ? ORDER BY id");
  const anyRunning = db.prepare("SELECT 1 FROM tasks WHERE state = 'running' LIMIT 1");
  const countByState = db.prepare("SELECT state, COUNT(*) AS n FROM tasks GROUP BY state");
  const inFlightElsewhere = db.prepare(`SELECT provider, COUNT(*) AS n FROM tasks
    WHERE state IN ('submitting', 'running') AND provider != ? GROUP BY provider ORDER BY n DESC`);
  const job = db.prepare("UPDATE jobs SET status = ?, error = ?, updated_at = ? WHERE row_key = ?");
  const jobVideo = db.prepare(
    "UPDATE jobs SET status = 'succeeded', video_path = ?, error = NULL, updated_at = ? WHERE row_key = ?",
  );
  const submitted = db.prepare(
    "UPDATE tasks SET state = 'running', task_id = ?, submitted_at = ?, updated_at = ? WHERE id = ?",
  );
  const ended = db.prepare(
    "UPDATE tasks SET state = ?, error_code = ?, error = ?, finished_at = ?, updated_at = ? WHERE id = ?",
  );
  const progress = db.prepare(
    "UPDATE tasks SET provider_state = ?, polls = polls + ?, updated_at = ? WHERE id = ?",
  );
  const finished =
    db.prepare(`UPDATE tasks SET state = @state, provider_state = @providerState, video_url = COALESCE(@url, video_url), video_id = COALESCE(@videoId, video_id),
      error_code = @code, error = @error, charged_credits = COALESCE(@credits, charged_credits), charged_usd = COALESCE(@usd, charged_usd),
      charge_warning = COALESCE(@chargeWarning, charge_warning),
      polls = polls + @polls, finished_at = @now, updated_at = @now WHERE id = @id`);
  const downloaded = db.prepare(
    "UPDATE tasks SET state = 'succeeded', error = NULL, video_path = ?, updated_at = ? WHERE id = ?",
  );
  // A redone row's earlier video keeps its file: a new attempt never takes a path another task holds.
  const pathTaken = db.prepare("SELECT 1 FROM tasks WHERE video_path = ? AND id != ? LIMIT 1");
  // The new attempt of a row marked Redo is on its way: the mark has done its work (its note stays).
  const redo = createRedoClearer(db);
  const noteError = db.prepare("UPDATE tasks SET error = ?, updated_at = ? WHERE id = ?");
  const setUrl = db.prepare("UPDATE tasks SET video_url = ?, updated_at = ? WHERE id = ?");
  const markRetryable = db.prepare("UPDATE tasks SET retryable = 1 WHERE id = ?");
  const countRetryable = db.prepare(
    "SELECT COUNT(*) AS n FROM tasks WHERE row_key = ? AND state = 'failed' AND retryable = 1",
  );
  const get = (id: number) => byId.get(id) as TaskRow;
  /**
   * Progress (the provider's word for the state, polls so far) is informational: it is kept here
   * and written for all tasks at once by flushProgress (the engine calls it every second), or with
   * the task's final write, instead of a transaction per status change.
   */
  const progressDue = new Map<number, { state: string; polls: number }>();
  const takeProgress = (id: number) => {
    const due = progressDue.get(id);
    progressDue.delete(id);
    return due?.polls ?? 0;
  };
  const flushProgressTx = db.transaction(() => {
    const now = nowIso();
    for (const [id, due] of progressDue) progress.run(due.state, due.polls, now, id);
    progressDue.clear();
  });

  /**
   * One IMMEDIATE transaction, typed as the plain function it wraps: the write lock is taken first,
   * so it waits its turn (busy_timeout) behind another connection's write. A deferred one that read
   * first could not: in WAL mode its upgrade to a writer fails at once with "database is locked"
   * when another run (one that lost the lock and has not noticed yet) wrote meanwhile.
   */
  const atomic = <A extends unknown[], R>(fn: (...args: A) => R): ((...args: A) => R) => {
    const tx = db.transaction(fn);
    return (...args: A): R => tx.immediate(...args);
  };

  return {
    get,
    /** Throws unless this run still owns the ledger (see run-lock). */
    assertOwner: fence,
    /** The task made (or maybe made) with this idempotency key / callback address. */
    findByExternalId: (externalId: string) => byExternalId.get(externalId) as TaskRow | undefined,
    listByState: (state: TaskState) => byState.all(state) as TaskRow[],
    /** Whether any task is generating (a concurrency limit frees up as ours finish). */
    anyRunning: () => anyRunning.get() !== undefined,
    countByState: () =>
      Object.fromEntries((countByState.all() as { state: string; n: number }[]).map((r) => [r.state, r.n])),
    /** Tasks still in flight on providers other than `provider`, largest count first. */
    inFlightElsewhere: (provider: string) =>
      inFlightElsewhere.all(provider) as { provider: string; n: number }[],
    /** The attempt number the row's next task gets: one more than the tasks it has. */
    nextAttempt: (rowKey: string) => (countForRow.get(rowKey) as { n: number }).n + 1,

    /** Committed before the create request is sent: a crash from here on leaves a trace. */
    recordIntent: durable((input: IntentInput): TaskRow => {
      // Only the run that owns the ledger may commit to spending: checked in this transaction.
      fence();
      const attempt = (countForRow.get(input.rowKey) as { n: number }).n + 1;
      // The engine computed the external id from this number; a mismatch would reuse an idempotency key.
      if (attempt !== input.attempt)
        throw new Error(
          `row ${input.rowKey}: attempt ${input.attempt} recorded, but the ledger is at ${attempt}`,
        );
      const now = nowIso();
      const { lastInsertRowid } = insert.run({
        rowKey: input.rowKey,
        attempt,
        provider: input.provider,
        model: input.model,
        externalId: input.externalId,
        request: JSON.stringify(input.request),
        estimate: input.estimatedCostUsd,
        credits: input.estimatedCredits ?? null,
        source: input.priceSource,
        now,
      });
      job.run("submitting", null, now, input.rowKey);
      return get(Number(lastInsertRowid));
    }),

    /** Committed as soon as the provider names the task. */
    recordSubmitted: durable((task: TaskRow, taskId: string) => {
      const now = nowIso();
      submitted.run(taskId, now, now, task.id);
      job.run("running", null, now, task.row_key);
      redo.submitted(task.row_key, now);
    }),

    /** The provider refused the create: no task exists. The row goes back to `jobStatus`. */
    recordRejected: durable((task: TaskRow, code: string, error: string, jobStatus: JobStatus) => {
      const now = nowIso();
      [code, error] = [clean(code), clean(error)];
      ended.run("rejected", code, error, now, now, task.id);
      job.run(jobStatus, jobStatus === "pending" ? null : error, now, task.row_key);
    }),

    recordUnknown: durable((task: TaskRow, code: string, error: string) => {
      const now = nowIso();
      [code, error] = [clean(code), clean(error)];
      ended.run("unknown", code, error, null, now, task.id);
      job.run("unknown", error, now, task.row_key);
    }),

    recordProgress(task: TaskRow, providerState: string, polls: number): void {
      const due = progressDue.get(task.id);
      progressDue.set(task.id, { state: clean(providerState), polls: (due?.polls ?? 0) + polls });
    },

    /** Writes the progress kept since the last flush, in one transaction. */
    flushProgress(): void {
      if (progressDue.size > 0) flushProgressTx.immediate();
    },

    recordGenerated: atomic(
      (
        task: TaskRow,
        providerState: string,
        url: string,
        charge: Charge,
        polls: number,
        videoId?: string,
      ) => {
        polls += takeProgress(task.id);
        finished.run({
          id: task.id,
          state: "generated",
          providerState: clean(providerState),
          url: clean(url),
          videoId: videoId === undefined ? null : clean(videoId),
          code: null,
          error: null,
          credits: charge.chargedCredits ?? null,
          usd: charge.chargedUsd ?? null,
          chargeWarning: charge.warning ?? null,
          polls,
          now: nowIso(),
        });
      },
    ),

    recordFailed: atomic(
      (
        task: TaskRow,
        providerState: string,
        code: string | null,
        error: string,
        charge: Charge,
        polls: number,
      ) => {
        polls += takeProgress(task.id);
        const now = nowIso();
        [providerState, code, error] = [clean(providerState), clean(code), clean(error)];
        finished.run({
          id: task.id,
          state: "failed",
          providerState,
          url: null,
          videoId: null,
          code,
          error,
          credits: charge.chargedCredits ?? null,
          usd: charge.chargedUsd ?? null,
          chargeWarning: charge.warning ?? null,
          polls,
          now,
        });
        job.run("failed", error, now, task.row_key);
      },
    ),

    /**
     * A generation that failed on the provider's side and charged nothing: recorded as failed (with
     * its own mark, so the retries of a row are counted) and, while fewer than `maxRetries` such
     * failures stand, the row goes back to pending at once. True when it does.
     */
    recordRetryableFailure: atomic((task: TaskRow, maxRetries: number): boolean => {
      markRetryable.run(task.id);
      const failures = (countRetryable.get(task.row_key) as { n: number }).n;
      if (failures > maxRetries) return false;
      job.run("pending", null, nowIso(), task.row_key);
      return true;
    }),

    recordDownloaded: atomic((task: TaskRow, videoPath: string) => {
      fence();
      const now = nowIso();
      downloaded.run(videoPath, now, task.id);
      jobVideo.run(videoPath, now, task.row_key);
    }),

    /** A generated task whose video could not be fetched yet: it stays resumable. */
    recordDownloadError: atomic((task: TaskRow, error: string) => {
      const now = nowIso();
      error = clean(error);
      noteError.run(error, now, task.id);
      job.run("running", error, now, task.row_key);
    }),

    /** `run --redo` put these rows back to pending: their marks are cleared as their new attempts go out. */
    expectRedo: redo.expect,
    /** Whether another attempt (of any row) keeps its video at `path`. */
    videoPathTaken: (path: string, task: TaskRow) => pathTaken.get(path, task.id) !== undefined,

    recordVideoUrl: (task: TaskRow, url: string) => void setUrl.run(clean(url), nowIso(), task.id),

    ...createNotFoundRecords(db, durable, clean, { get, job }),

    /** Reconciled through the provider's idempotency key: the lost create did create this task. */
    recordReconciled: durable((task: TaskRow, taskId: string) => {
      const now = nowIso();
      submitted.run(taskId, task.submitted_at ?? now, now, task.id);
      job.run("running", null, now, task.row_key);
      redo.submitted(task.row_key, now);
    }),
  };
}

export type TaskStore = ReturnType<typeof createTaskStore>;
