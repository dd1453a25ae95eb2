import type Database from "better-sqlite3";
import { nowIso } from "../util/time.js";

export interface RunEnd {
  submitted: number;
  exitCode: number;
  stopReason: string | null;
}

/**
 * The `runs` table: one row per `vidbatch run`, with its settings, submissions and how it ended.
 * `redact` removes every known secret from the stop reason (often a provider's message).
 */
export function createRunStore(db: Database.Database, redact: (text: string) => string = (t) => t) {
  const start = db.prepare("INSERT INTO runs (started_at, pid, provider, options) VALUES (?, ?, ?, ?)");
  const finish = db.prepare(
    "UPDATE runs SET finished_at = ?, submitted = ?, exit_code = ?, stop_reason = ? WHERE id = ?",
  );
  return {
    /**
     * Records a run's start; returns its id. `settings` is an explicit record of what shaped the
     * run, built to hold no secret (run/settings-record); it is redacted once more all the same.
     */
    start: (provider: string, settings: Record<string, unknown>) =>
      Number(start.run(nowIso(), process.pid, provider, redact(JSON.stringify(settings))).lastInsertRowid),
    finish: (id: number, end: RunEnd) =>
      void finish.run(
        nowIso(),
        end.submitted,
        end.exitCode,
        end.stopReason === null ? null : redact(end.stopReason),
        id,
      ),
  };
}

export type RunStore = ReturnType<typeof createRunStore>;
