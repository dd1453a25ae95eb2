// Tests that drive real processes (kill -9, signals, a terminal): split from cli/lost-tasks.test.ts so
// that `npm run test:fast` can leave them out and `npm test` starts them first.
import assert from "node:assert/strict";
import { existsSync } from "node:fs";
import { join } from "node:path";
import Database from "better-sqlite3";
import { runBatchCli, simFor, startBatchCli } from "../helpers/batch.js";
import { killWhen, runCli, startCli } from "../helpers/cli.js";
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
import { assertLedgerConsistent } from "../helpers/hostile.js";
import { test } from "../helpers/leaks.js";

/** Three tasks made on `first`, then a night later asked of `other`, which has no record of them. */
async function forgottenTasks(t: { after: (fn: () => Promise<void> | void) => void }, label: string) {
  const dir = tempDir(t);
  const csv = writeCsv(dir, "in.csv", numberedPrompts(3, label));
  const ledger = join(dir, "in.ledger.db");
  const first = await simFor(t, { genTimeMs: 2000, genJitter: 0 });
  const run = startBatchCli(dir, csv, first);
  await killWhen(
    run,
    () => ledgerCount(ledger, "SELECT COUNT(*) AS n FROM tasks WHERE state = 'running'") === 3,
    "three tasks generating",
  );
  const db = new Database(ledger);
  db.prepare("UPDATE tasks SET submitted_at = '2026-01-01T00:00:00.000Z'").run();
  db.close();
  const other = await simFor(t);

  const second = await runBatchCli(dir, csv, other);
  assert.equal(second.code, 3, second.stderr);
  assert.match(
    second.stderr,
    /does not know task .* if the next run hears the same, the row becomes unknown/,
  );
  // A second run at once proves nothing more (an outage, a key fixed in between): still kept.
  const quick = await runBatchCli(dir, csv, other);
  assert.equal(quick.code, 3, quick.stderr);
  assert.deepEqual(statusCounts(readResults(join(dir, "in.results.csv")), "running"), [3]);
  // Ten minutes and more after it was first heard (moved back in the ledger: no clock needed).
  const moved = new Database(ledger);
  moved.prepare("UPDATE tasks SET not_found_since = '2026-01-01T00:00:00.000Z'").run();
  moved.close();
  const third = await runBatchCli(dir, csv, other);
  assert.equal(third.code, 1, third.stderr);
  assert.match(third.stderr, /kie does not know task [0-9a-f]+ \(said so on 3 run\(s\)/);
  assert.match(third.stderr, /Next: .*--resubmit-unknown/);
  assert.deepEqual(statusCounts(readResults(join(dir, "in.results.csv")), "unknown"), [3]);
  const listed = await runCli(["status", csv, "--failed"], { cwd: dir });
  assert.equal((listed.stdout.match(/said so on 3 run\(s\)/g) ?? []).length, 3, listed.stdout);
  assert.equal(other.stats.submissions, 0, "nothing was resubmitted on its own");
  return { dir, csv, ledger, first, other };
}

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
  await killWhen(
    run,
    () => ledgerCount(ledger, "SELECT COUNT(*) AS n FROM tasks WHERE state = 'running'") === 2,
    "two tasks generating",
  );
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

test("tasks the provider no longer knows become unknown after two runs ten minutes apart, and --resubmit-unknown frees them", {
  timeout: 120_000,
}, async (t) => {
  const { dir, csv, ledger, other } = await forgottenTasks(t, "Forgotten by the provider");
  const freed = await runBatchCli(dir, csv, other, ["--resubmit-unknown"]);
  assert.equal(freed.code, 0, freed.stderr);
  assert.match(freed.stderr, /may be paid twice/);
  assert.equal(other.stats.submissions, 3);
  assert.deepEqual(statusCounts(readResults(join(dir, "in.results.csv")), "succeeded"), [3]);
  assertLedgerConsistent(ledger);
});

test("tasks given up as unknown that the provider knows again are followed and collected, never paid again by --resubmit-unknown", {
  timeout: 120_000,
}, async (t) => {
  const { dir, csv, first } = await forgottenTasks(t, "Known again");
  // Back on the account that made them (the right key again): asked before anything is resubmitted.
  const back = await runBatchCli(dir, csv, first, ["--resubmit-unknown"]);
  assert.equal(back.code, 0, back.stderr);
  assert.match(back.stderr, /kie knows task [0-9a-f]+ again; following it/);
  assert.equal(first.stats.submissions, 3, "no row was submitted again");
  assert.deepEqual(statusCounts(readResults(join(dir, "in.results.csv")), "succeeded"), [3]);
});
