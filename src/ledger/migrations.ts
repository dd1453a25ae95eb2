import type Database from "better-sqlite3";
import { UserError } from "../util/errors.js";

/**
 * Append-only: never edit a migration that has shipped; add the next number. Each runs in its own
 * transaction and bumps PRAGMA user_version, so a ledger from any earlier version upgrades in place.
 */
export const MIGRATIONS: readonly { version: number; name: string; sql: string }[] = [
  {
    version: 1,
    name: "jobs, tasks, run lock, runs",
    sql: `
      CREATE TABLE batch_meta (
        key   TEXT PRIMARY KEY,
        value TEXT NOT NULL
      );
      CREATE TABLE jobs (
        row_key            TEXT PRIMARY KEY,
        row_index          INTEGER,
        line               INTEGER NOT NULL,
        input_json         TEXT NOT NULL,
        spec_json          TEXT,
        status             TEXT NOT NULL,
        video_name         TEXT,
        video_path         TEXT,
        error              TEXT,
        estimated_cost_usd REAL,
        created_at         TEXT NOT NULL,
        updated_at         TEXT NOT NULL
      );
      CREATE INDEX jobs_by_status ON jobs (status, row_index);
      CREATE INDEX jobs_by_index ON jobs (row_index);
      CREATE INDEX jobs_by_video_name ON jobs (video_name);
      CREATE TABLE tasks (
        id                 INTEGER PRIMARY KEY AUTOINCREMENT,
        row_key            TEXT NOT NULL REFERENCES jobs (row_key),
        attempt            INTEGER NOT NULL,
        provider           TEXT NOT NULL,
        model              TEXT NOT NULL,
        external_id        TEXT NOT NULL UNIQUE,
        task_id            TEXT,
        state              TEXT NOT NULL,
        provider_state     TEXT,
        request_json       TEXT NOT NULL,
        video_url          TEXT,
        error_code         TEXT,
        error              TEXT,
        estimated_cost_usd REAL NOT NULL,
        estimated_credits  REAL,
        price_source       TEXT NOT NULL,
        charged_credits    REAL,
        charged_usd        REAL,
        polls              INTEGER NOT NULL DEFAULT 0,
        created_at         TEXT NOT NULL,
        submitted_at       TEXT,
        finished_at        TEXT,
        updated_at         TEXT NOT NULL
      );
      CREATE INDEX tasks_by_row ON tasks (row_key, id);
      CREATE INDEX tasks_by_state ON tasks (state);
      CREATE TABLE run_lock (
        id           INTEGER PRIMARY KEY CHECK (id = 1),
        pid          INTEGER NOT NULL,
        host         TEXT NOT NULL,
        started_at   TEXT NOT NULL,
        heartbeat_at TEXT NOT NULL
      );
      CREATE TABLE runs (
        id          INTEGER PRIMARY KEY AUTOINCREMENT,
        started_at  TEXT NOT NULL,
        finished_at TEXT,
        pid         INTEGER NOT NULL,
        provider    TEXT NOT NULL,
        options     TEXT NOT NULL,
        submitted   INTEGER NOT NULL DEFAULT 0,
        exit_code   INTEGER,
        stop_reason TEXT
      );
    `,
  },
  {
    version: 2,
    name: "video names compared without case",
    sql: "CREATE INDEX jobs_by_video_name_nocase ON jobs (video_name COLLATE NOCASE);",
  },
  {
    version: 3,
    // Names are only ever compared without case (version 2): the other index cost every insert.
    name: "drop the unused case-sensitive video name index",
    sql: "DROP INDEX IF EXISTS jobs_by_video_name;",
  },
  {
    version: 4,
    name: "fenced run lock, tasks the provider does not know, refused charges, secret-free run settings",
    sql: `
      ALTER TABLE run_lock ADD COLUMN token TEXT;
      -- The holder's own stale window: a run taking over waits the longer of the two.
      ALTER TABLE run_lock ADD COLUMN stale_after_ms INTEGER;
      -- Runs in which the provider answered "no such task" for a task, and since when.
      ALTER TABLE tasks ADD COLUMN not_found_runs INTEGER NOT NULL DEFAULT 0;
      ALTER TABLE tasks ADD COLUMN not_found_since TEXT;
      -- A charge the provider reported that was not believed (below zero, far above the price).
      ALTER TABLE tasks ADD COLUMN charge_warning TEXT;
      -- A failure on the provider's side that charged nothing: the row was submitted again.
      ALTER TABLE tasks ADD COLUMN retryable INTEGER NOT NULL DEFAULT 0;
      -- Earlier versions stored every option, webhook keys given as flags included: drop them.
      UPDATE runs SET options = json_remove(options, '$.kieWebhookKey', '$.klingWebhookSecret',
        '$.kie-webhook-key', '$.kling-webhook-secret') WHERE json_valid(options);
    `,
  },
  {
    version: 5,
    name: "local frames uploaded once per account",
    sql: `
      -- One row per file content (SHA-256) per provider account (a hash of provider, address and
      -- key: never the key): a resume, an appended row or a second row naming the file reuse it.
      CREATE TABLE uploads (
        account     TEXT NOT NULL,
        sha256      TEXT NOT NULL,
        provider    TEXT NOT NULL,
        url         TEXT NOT NULL,
        bytes       INTEGER NOT NULL,
        file_name   TEXT NOT NULL,
        -- The file as the row named it, for people reading the ledger.
        source_path TEXT NOT NULL,
        uploaded_at TEXT NOT NULL,
        uploads     INTEGER NOT NULL DEFAULT 1,
        PRIMARY KEY (account, sha256)
      );
    `,
  },
  {
    version: 6,
    name: "the provider's id of each finished video",
    // Kling's videos[0].id: extending a clip (video-extend) needs it, and it cannot be recovered later.
    sql: "ALTER TABLE tasks ADD COLUMN video_id TEXT;",
  },
  {
    version: 7,
    name: "review marks, and each attempt's own video",
    sql: `
      -- A reviewer's verdict on a row (vidbatch review): keep it, or redo it on the next run --redo.
      -- The note stays when a redo's new attempt clears the mark.
      CREATE TABLE marks (
        row_key   TEXT PRIMARY KEY REFERENCES jobs (row_key),
        mark      TEXT CHECK (mark IN ('keep', 'redo')),
        note      TEXT NOT NULL DEFAULT '',
        -- The attempt (tasks.id) the reviewer was looking at.
        task_id   INTEGER,
        marked_at TEXT NOT NULL
      );
      CREATE INDEX marks_by_mark ON marks (mark);
      -- Where each attempt's video is, so a redone row keeps the earlier one beside the new one.
      ALTER TABLE tasks ADD COLUMN video_path TEXT;
      UPDATE tasks SET video_path = (SELECT j.video_path FROM jobs j WHERE j.row_key = tasks.row_key)
        WHERE state = 'succeeded' AND id = (SELECT MAX(t.id) FROM tasks t
          WHERE t.row_key = tasks.row_key AND t.state = 'succeeded');
    `,
  },
  {
    version: 8,
    name: "generation times learned, kept for the next run's polling",
    sql: `
      -- How long each kind of job (model, duration, sound, mode) took, as the polling measured it:
      -- the next run's schedule starts from these instead of learning again.
      CREATE TABLE generation_times (
        id          INTEGER PRIMARY KEY AUTOINCREMENT,
        kind        TEXT NOT NULL,
        ms          INTEGER NOT NULL,
        finished_at TEXT NOT NULL
      );
      CREATE INDEX generation_times_by_kind ON generation_times (kind, id);
    `,
  },
];

/** Refuses a ledger whose schema is newer than this vidbatch knows (it would be read wrong). */
export function checkSchemaVersion(current: number): void {
  const latest = MIGRATIONS.at(-1)?.version ?? 0;
  if (current > latest) {
    throw new UserError(
      "LEDGER_TOO_NEW",
      `This ledger was written by a newer vidbatch (schema ${current}; this one knows ${latest}). Upgrade vidbatch; nothing was changed.`,
    );
  }
}

export function applyMigrations(db: Database.Database): void {
  const current = db.pragma("user_version", { simple: true }) as number;
  checkSchemaVersion(current);
  for (const migration of MIGRATIONS) {
    if (migration.version <= current) continue;
    db.transaction(() => {
      db.exec(migration.sql);
      db.pragma(`user_version = ${migration.version}`);
    }).immediate();
  }
}
