import type Database from "better-sqlite3";
import { nowIso } from "../util/time.js";

export interface RunEnd {
  submitted: number;
  exitCode: number;
  stopReason: string | null;
}

/** The `runs` table: one row per `vidbatch run`, with its options, submissions and how it ended. */
export function createRunStore(db: Database.Database) {
  const start = db.prepare("INSERT INTO runs (started_at, pid, provider, options) VALUES (?, ?, ?, ?)");
  const finish = db.prepare(
    "UPDATE runs SET finished_at = ?, submitted = ?, exit_code = ?, stop_reason = ? WHERE id = ?",
  );
  return {
    /** Records a run's start; returns its id. `options` is stored as JSON (it holds no secret). */
    start: (provider: string, options: unknown) =>
      Number(start.run(nowIso(), process.pid, provider, JSON.stringify(options)).lastInsertRowid),
    finish: (id: number, end: RunEnd) =>
      void finish.run(nowIso(), end.submitted, end.exitCode, end.stopReason, id),
  };
}

export type RunStore = ReturnType<typeof createRunStore>;
