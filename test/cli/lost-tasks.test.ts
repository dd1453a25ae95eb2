import assert from "node:assert/strict";
import { rmSync } from "node:fs";
import { join } from "node:path";
import Database from "better-sqlite3";
import { runCli } from "../helpers/cli.js";
import { numberedPrompts, readResults, statusCounts, tempDir, writeCsv } from "../helpers/fixtures.js";
import { test } from "../helpers/leaks.js";

test("--simulate: a video not yet downloaded when the run stopped is downloaded by the next run (its stored URL still works)", {
  timeout: 90_000,
}, async (t) => {
  const dir = tempDir(t);
  const csv = writeCsv(dir, "in.csv", numberedPrompts(2, "Simulated and downloaded later"));
  const ledger = join(dir, "in.ledger.db");
  const args = ["run", csv, "--simulate", "--poll-interval", "0.1"];
  assert.equal((await runCli(args, { cwd: dir })).code, 0);
  // As if the run had stopped between the generation and the download.
  const db = new Database(ledger);
  db.prepare("UPDATE tasks SET state = 'generated'").run();
  db.prepare("UPDATE jobs SET status = 'running', video_path = NULL").run();
  db.close();
  rmSync(join(dir, "in-videos"), { recursive: true, force: true });
  const again = await runCli(args, { cwd: dir });
  assert.equal(again.code, 0, again.stderr);
  assert.deepEqual(statusCounts(readResults(join(dir, "in.results.csv")), "succeeded"), [2]);
});
