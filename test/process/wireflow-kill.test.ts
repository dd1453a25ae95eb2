// Tests that drive real processes (kill -9, signals, a terminal): split from cli/wireflow.test.ts so
// that `npm run test:fast` can leave them out and `npm test` starts them first.
import assert from "node:assert/strict";
import { join } from "node:path";
import { sampleVideo } from "../../src/simulator/sample-video.js";
import {
  isCompleteVideo,
  runWireflowCli,
  simFor,
  submittedOnceEach,
  WIREFLOW_ENV,
  wireflowArgs,
} from "../helpers/batch.js";
import { killWhen, startCli } from "../helpers/cli.js";
import { ledgerCount, numberedPrompts, readResults, tempDir, writeCsv } from "../helpers/fixtures.js";
import { test } from "../helpers/leaks.js";

test("wireflow: kill -9 while executions run; the next run polls them and runs each row once", {
  timeout: 120_000,
}, async (t) => {
  const dir = tempDir(t);
  const sim = await simFor(t, { genTimeMs: 2000 });
  const csv = writeCsv(dir, "in.csv", numberedPrompts(5, "Killed execution"));
  const ledger = join(dir, "in.ledger.db");
  const first = startCli(wireflowArgs(csv, sim, ["--concurrency", "3"]), { cwd: dir, env: WIREFLOW_ENV });
  // Every slot running and no run on the wire (Wireflow cannot look a lost one up).
  await killWhen(
    first,
    () =>
      ledgerCount(
        ledger,
        "SELECT CASE WHEN SUM(state = 'submitting') > 0 THEN 0 ELSE SUM(state = 'running') END AS n FROM tasks",
      ) >= 3,
    "three executions running, none being submitted",
  );
  const resumed = await runWireflowCli(dir, csv, sim, ["--concurrency", "3"]);
  assert.equal(resumed.code, 0, resumed.stderr);
  assert.equal(sim.stats.submissions, 5);
  assert.ok(submittedOnceEach(sim));
  for (const r of readResults(join(dir, "in.results.csv"))) {
    assert.equal(r.status, "succeeded");
    assert.ok(isCompleteVideo(join(dir, r.video_path as string), sampleVideo()));
  }
});

test("wireflow: killed while a run is on the wire; the next run replays it by key and follows the one execution", {
  timeout: 120_000,
}, async (t) => {
  const dir = tempDir(t);
  const sim = await simFor(t, { createDelayMs: 60_000 });
  const csv = writeCsv(dir, "in.csv", numberedPrompts(1, "Run on the wire"));
  const ledger = join(dir, "in.ledger.db");
  const first = startCli(wireflowArgs(csv, sim), { cwd: dir, env: WIREFLOW_ENV });
  await killWhen(
    first,
    () =>
      sim.stats.submissions === 1 &&
      ledgerCount(ledger, "SELECT COUNT(*) AS n FROM tasks WHERE state = 'submitting'") === 1,
    "a run on the wire",
  );
  sim.update({ createDelayMs: 0 });

  const next = await runWireflowCli(dir, csv, sim);
  assert.equal(next.code, 0, next.stderr);
  assert.match(next.stderr, /the interrupted submission did reach wireflow/);
  assert.equal(sim.stats.submissions, 1, "the workflow ran once");
  assert.equal(sim.stats.counters.get("wireflow.run.replayed"), 1);
  assert.equal(readResults(join(dir, "in.results.csv"))[0]?.status, "succeeded");
});
