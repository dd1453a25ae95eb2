// Tests that drive real processes (kill -9, signals, a terminal): split from cli/kling.test.ts so
// that `npm run test:fast` can leave them out and `npm test` starts them first.
import assert from "node:assert/strict";
import { join } from "node:path";
import { startSimulator } from "../../src/simulator/simulator.js";
import {
  runBatchCli,
  runKlingCli,
  simFor,
  startBatchCli,
  startKlingCli,
  submittedOnceEach,
} from "../helpers/batch.js";
import { killWhen } from "../helpers/cli.js";
import { ledgerCount, numberedPrompts, readResults, tempDir, writeCsv } from "../helpers/fixtures.js";
import { test } from "../helpers/leaks.js";

test("kling: kill -9 while tasks generate, then between a create's request and its answer; every row paid once", {
  timeout: 180_000,
}, async (t) => {
  const dir = tempDir(t);
  const sim = await simFor(t, { genTimeMs: 1500 });
  const csv = writeCsv(dir, "in.csv", numberedPrompts(8, "Kill scene"));
  const ledger = join(dir, "in.ledger.db");

  const first = startKlingCli(dir, csv, sim, ["--concurrency", "3"]);
  assert.equal(
    (
      await killWhen(
        first,
        () => ledgerCount(ledger, "SELECT COUNT(*) AS n FROM tasks WHERE state = 'running'") >= 2,
        "tasks running",
      )
    ).signal,
    "SIGKILL",
  );

  // The next create reaches Kling, which makes the task, but the answer never comes back.
  sim.update({ createDelayMs: 60_000 });
  const second = startKlingCli(dir, csv, sim, ["--concurrency", "3"]);
  const submittedBefore = sim.stats.submissions;
  await killWhen(
    second,
    () =>
      sim.stats.submissions > submittedBefore &&
      ledgerCount(ledger, "SELECT COUNT(*) AS n FROM tasks WHERE state = 'submitting'") >= 1,
    "a create on the wire",
  );
  sim.update({ createDelayMs: 0 });

  const last = await runKlingCli(dir, csv, sim, ["--concurrency", "3"]);
  assert.equal(last.code, 0, last.stderr);
  assert.match(last.stderr, /the interrupted submission did reach kling \(task \d+\); following it/);
  assert.equal(sim.stats.submissions, 8);
  assert.ok(submittedOnceEach(sim));
  const rows = readResults(join(dir, "in.results.csv"));
  assert.ok(
    rows.every((r) => r.status === "succeeded" && r.attempts === "1"),
    JSON.stringify(rows),
  );
});

test("kling: a create that never reached Kling is found absent by its external id and submitted again", {
  timeout: 120_000,
}, async (t) => {
  const dir = tempDir(t);
  const sim = await simFor(t, { createDelayMs: 60_000 });
  const csv = writeCsv(dir, "in.csv", "prompt\nLost on the way\n");
  const ledger = join(dir, "in.ledger.db");
  const run = startKlingCli(dir, csv, sim);
  await killWhen(
    run,
    () => ledgerCount(ledger, "SELECT COUNT(*) AS n FROM tasks WHERE state = 'submitting'") === 1,
    "a create on the wire",
  );
  // A different Kling account state: that create never arrived there.
  const fresh = await startSimulator({ genTimeMs: 300 });
  t.after(() => fresh.close());
  const next = await runKlingCli(dir, csv, fresh);
  assert.equal(next.code, 0, next.stderr);
  assert.match(next.stderr, /the interrupted submission never reached kling; it will be submitted/);
  assert.equal(fresh.stats.submissions, 1);
  const row = readResults(join(dir, "in.results.csv"))[0];
  assert.equal(row?.status, "succeeded");
  assert.equal(row?.attempts, "1", "the create that never arrived is not an attempt");
  assert.equal(row?.cost_usd, "0.21", "and costs nothing");
});

test("kling: KIE's unknown rows are never looked up on Kling, and KIE tasks in flight refuse the switch (exit 2)", {
  timeout: 120_000,
}, async (t) => {
  const dir = tempDir(t);
  const sim = await simFor(t, { faults: { createDropRate: 1 } });
  const csv = writeCsv(dir, "in.csv", "prompt\nDropped on KIE\n");
  const kie = await runBatchCli(dir, csv, sim);
  assert.equal(kie.code, 1, kie.stderr);
  sim.update({ faults: { createDropRate: 0 } });
  const kling = await runKlingCli(dir, csv, sim);
  assert.equal(kling.code, 1, kling.stderr);
  assert.doesNotMatch(kling.stderr, /never reached kling/);
  assert.equal(sim.stats.submissions, 1, "the KIE task may exist: no second submission anywhere");
  assert.equal(readResults(join(dir, "in.results.csv"))[0]?.status, "unknown");

  const other = tempDir(t);
  sim.update({ genTimeMs: 60_000 });
  const otherCsv = writeCsv(other, "in.csv", "prompt\nStill generating on KIE\n");
  const running = startBatchCli(other, otherCsv, sim);
  await killWhen(
    running,
    () =>
      ledgerCount(join(other, "in.ledger.db"), "SELECT COUNT(*) AS n FROM tasks WHERE state = 'running'") ===
      1,
    "a KIE task running",
  );
  const switched = await runKlingCli(other, otherCsv, sim);
  assert.equal(switched.code, 2, switched.stderr);
  assert.match(switched.stderr, /1 task\(s\) still in flight on kie\. Run again with --provider kie/);
  assert.equal(sim.stats.submissions, 2);
});
