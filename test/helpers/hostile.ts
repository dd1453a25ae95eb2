import assert from "node:assert/strict";
import { existsSync } from "node:fs";
import Database from "better-sqlite3";

/**
 * The ledger after any command is consistent: no task or row left mid-submit, every task belongs
 * to a row, every succeeded row's video is on disk, and every status is one the results know.
 */
export function assertLedgerConsistent(path: string): void {
  if (!existsSync(path)) return;
  const db = new Database(path, { readonly: true });
  try {
    const one = (sql: string) => (db.prepare(sql).get() as { n: number }).n;
    assert.equal(
      one("SELECT COUNT(*) AS n FROM tasks WHERE state = 'submitting'"),
      0,
      "a task left mid-submit",
    );
    assert.equal(
      one("SELECT COUNT(*) AS n FROM jobs WHERE status = 'submitting'"),
      0,
      "a row left mid-submit",
    );
    assert.equal(
      one("SELECT COUNT(*) AS n FROM tasks t LEFT JOIN jobs j USING (row_key) WHERE j.row_key IS NULL"),
      0,
    );
    assert.equal(
      one(`SELECT COUNT(*) AS n FROM jobs WHERE status NOT IN
        ('pending','running','succeeded','failed','invalid','unknown')`),
      0,
    );
    const videos = db.prepare("SELECT video_path FROM jobs WHERE status = 'succeeded'").all() as {
      video_path: string;
    }[];
    for (const v of videos) assert.ok(existsSync(v.video_path), `${v.video_path} is on disk`);
  } finally {
    db.close();
  }
}
