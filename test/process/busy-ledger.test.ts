// A busy ledger, a create on the wire when the process dies, a bug mid-run: split from kill-resume.test.ts.
// Tests that drive real processes (kill -9, signals, a terminal): split from cli/resume.test.ts so
// that `npm run test:fast` can leave them out and `npm test` starts them first.
import assert from "node:assert/strict";
import { join } from "node:path";
import Database from "better-sqlite3";
import { assertEachRowPaidOnce, runBatchCli, simFor, startBatchCli } from "../helpers/batch.js";
import { killWhen } from "../helpers/cli.js";
import {
  ledgerCount,
  numberedPrompts,
  readResults,
  tempDir,
  waitFor,
  writeCsv,
} from "../helpers/fixtures.js";
import { test } from "../helpers/leaks.js";

test("killed while a create is on the wire: the row becomes unknown, is not resubmitted, and --resubmit-unknown sends it", {
  timeout: 120_000,
}, async (t) => {
  const dir = tempDir(t);
  const sim = await simFor(t, { createDelayMs: 60_000 });
  const csv = writeCsv(dir, "in.csv", numberedPrompts(1, "On the wire"));
  const ledger = join(dir, "in.ledger.db");
  const run = startBatchCli(dir, csv, sim);
  await killWhen(
    run,
    () =>
      sim.stats.submissions === 1 &&
      ledgerCount(ledger, "SELECT COUNT(*) AS n FROM tasks WHERE state = 'submitting'") === 1,
    "a create on the wire",
  );
  sim.update({ createDelayMs: 0 });

  const next = await runBatchCli(dir, csv, sim);
  assert.equal(next.code, 1, next.stderr);
  assert.match(next.stderr, /marked unknown \(not resubmitted\)/);
  const rows = readResults(join(dir, "in.results.csv"));
  assert.equal(rows[0]?.status, "unknown");
  assert.match(rows[0]?.error ?? "", /--resubmit-unknown/);
  assert.equal(sim.stats.submissions, 1, "not resubmitted without being asked");

  const again = await runBatchCli(dir, csv, sim, ["--resubmit-unknown"]);
  assert.equal(again.code, 0, again.stderr);
  assert.equal(sim.stats.submissions, 2);
  const final = readResults(join(dir, "in.results.csv"))[0];
  assert.equal(final?.status, "succeeded");
  assert.equal(final?.attempts, "2");
  assert.equal(
    final?.cost_usd,
    "0.55",
    "the unknown task's estimate stays in the spend: it may have been charged",
  );
});

test("a second run on a busy ledger refuses; Ctrl-C stops the first (exit 130) and the same command resumes", {
  timeout: 180_000,
}, async (t) => {
  const dir = tempDir(t);
  const sim = await simFor(t, { genTimeMs: 2000 });
  const csv = writeCsv(dir, "in.csv", numberedPrompts(6, "Interrupted"));
  const ledger = join(dir, "in.ledger.db");
  const first = startBatchCli(dir, csv, sim, ["--concurrency", "3"]);
  await waitFor(
    () => ledgerCount(ledger, "SELECT COUNT(*) AS n FROM tasks WHERE state = 'running'") >= 2,
    "running tasks",
  );

  const busy = await runBatchCli(dir, csv, sim);
  assert.equal(busy.code, 2);
  assert.match(busy.stderr, /is in use by another vidbatch run \(pid \d+/);

  first.child.kill("SIGINT");
  const stopped = await first.done;
  assert.equal(stopped.code, 130, stopped.stderr);
  assert.match(stopped.stderr, /stopping/);
  const rows = readResults(join(dir, "in.results.csv"));
  assert.equal(rows.length, 6, "the results CSV was written on the way out");
  assert.ok(rows.some((r) => r.status === "running" || r.status === "pending"));
  const submittedBefore = sim.stats.submissions;
  assert.ok(submittedBefore < 6 || rows.some((r) => r.status !== "succeeded"));

  const resumed = await runBatchCli(dir, csv, sim, ["--concurrency", "3"]);
  assert.equal(resumed.code, 0, resumed.stderr);
  assertEachRowPaidOnce(dir, sim, 6);
});

test("a bug while tasks run (here: a corrupt ledger row) stops all work, exits 70 and leaves the ledger consistent", {
  timeout: 180_000,
}, async (t) => {
  const dir = tempDir(t);
  const sim = await simFor(t, { genTimeMs: 1500 });
  const csv = writeCsv(dir, "in.csv", numberedPrompts(6, "Bug while generating"));
  const ledger = join(dir, "in.ledger.db");
  const run = startBatchCli(dir, csv, sim, ["--concurrency", "3"]);
  await killWhen(
    run,
    () => ledgerCount(ledger, "SELECT COUNT(*) AS n FROM tasks WHERE state = 'running'") >= 3,
    "three running tasks",
  );

  // A request the engine cannot read stands in for any bug that throws mid-run.
  const db = new Database(ledger);
  const victim = db
    .prepare("SELECT id, request_json FROM tasks WHERE state = 'running' ORDER BY id LIMIT 1")
    .get() as {
    id: number;
    request_json: string;
  };
  db.prepare("UPDATE tasks SET request_json = '{broken' WHERE id = ?").run(victim.id);
  db.close();

  const crashed = await runBatchCli(dir, csv, sim, ["--concurrency", "3"]);
  assert.equal(crashed.code, 70, crashed.stderr);
  assert.match(
    crashed.stderr,
    /vidbatch \[INTERNAL\]: internal error \(this is a bug; the ledger is consistent/,
  );
  assert.equal(ledgerCount(ledger, "SELECT COUNT(*) AS n FROM tasks WHERE state = 'submitting'"), 0);
  assert.equal(ledgerCount(ledger, "SELECT COUNT(*) AS n FROM run_lock"), 0, "the lock is released");
  assert.equal(ledgerCount(ledger, "SELECT exit_code AS n FROM runs ORDER BY id DESC LIMIT 1"), 70);

  const fixed = new Database(ledger);
  fixed.prepare("UPDATE tasks SET request_json = ? WHERE id = ?").run(victim.request_json, victim.id);
  fixed.close();
  const resumed = await runBatchCli(dir, csv, sim, ["--concurrency", "3"]);
  assert.equal(resumed.code, 0, resumed.stderr);
  assertEachRowPaidOnce(dir, sim, 6);
});
