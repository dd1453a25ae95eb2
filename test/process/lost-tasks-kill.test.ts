// Tests that drive real processes (kill -9, signals, a terminal): split from cli/lost-tasks.test.ts so
// that `npm run test:fast` can leave them out and `npm test` starts them first.
import assert from "node:assert/strict";
import { existsSync } from "node:fs";
import { join } from "node:path";
import Database from "better-sqlite3";
import { runBatchCli, simFor, startBatchCli } from "../helpers/batch.js";
import { runCli, startCli } from "../helpers/cli.js";
import {
  ledgerCount,
  numberedPrompts,
  queryLedger,
  readResults,
  statusCounts,
  tempDir,
  waitFor,
  writeCsv,
} from "../helpers/fixtures.js";
import { test } from "../helpers/leaks.js";

test("--simulate keeps its tasks beside the ledger: Ctrl-C a simulated run, run it again, and it finishes", {
  timeout: 120_000,
}, async (t) => {
  const dir = tempDir(t);
  const csv = writeCsv(dir, "in.csv", numberedPrompts(4, "Simulated and resumed"));
  const ledger = join(dir, "in.ledger.db");
  const args = ["run", csv, "--simulate", "--poll-interval", "0.1"];
  const run = startCli(args, { cwd: dir });
  await waitFor(
    () => ledgerCount(ledger, "SELECT COUNT(*) AS n FROM tasks WHERE state = 'running'") >= 2,
    "tasks generating",
  );
  run.child.kill("SIGINT");
  const stopped = await run.done;
  assert.equal(stopped.code, 130, stopped.stderr);
  assert.ok(existsSync(`${ledger}.simulator.json`), "the simulator's state is kept beside the ledger");
  const resumed = await runCli(args, { cwd: dir });
  assert.equal(resumed.code, 0, resumed.stderr);
  assert.doesNotMatch(resumed.stderr, /does not know task/);
  assert.deepEqual(statusCounts(readResults(join(dir, "in.results.csv")), "succeeded"), [4]);
  const attempts = queryLedger<{ n: number }>(ledger, "SELECT COUNT(*) AS n FROM tasks GROUP BY row_key");
  assert.deepEqual(
    attempts.map((a) => a.n),
    [1, 1, 1, 1],
    "each row was submitted once",
  );
});

test("a task an earlier run left, older than --task-timeout, is still checked and collected (not given up unseen)", {
  timeout: 60_000,
}, async (t) => {
  const dir = tempDir(t);
  const csv = writeCsv(dir, "in.csv", numberedPrompts(2, "Left overnight"));
  const ledger = join(dir, "in.ledger.db");
  const sim = await simFor(t, { genTimeMs: 1500, genJitter: 0 });
  const run = startBatchCli(dir, csv, sim);
  await waitFor(
    () => ledgerCount(ledger, "SELECT COUNT(*) AS n FROM tasks WHERE state = 'running'") === 2,
    "two tasks generating",
  );
  run.child.kill("SIGKILL");
  await run.done;
  // The generations end meanwhile (as they would overnight); then the tasks look submitted "last
  // night": far longer ago than the 2-minute --task-timeout the test runs use.
  await new Promise((resolve) => setTimeout(resolve, 2000));
  const db = new Database(ledger);
  db.prepare("UPDATE tasks SET submitted_at = '2026-01-01T00:00:00.000Z'").run();
  db.close();
  const resumed = await runBatchCli(dir, csv, sim);
  assert.equal(resumed.code, 0, resumed.stderr);
  assert.doesNotMatch(resumed.stderr, /left for a later run/);
  assert.deepEqual(statusCounts(readResults(join(dir, "in.results.csv")), "succeeded"), [2]);
  assert.equal(sim.stats.submissions, 2);
});
