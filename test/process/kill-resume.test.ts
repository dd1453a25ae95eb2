// Tests that drive real processes (kill -9, signals, a terminal): split from cli/resume.test.ts so
// that `npm run test:fast` can leave them out and `npm test` starts them first.
import assert from "node:assert/strict";
import { existsSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { sampleVideo } from "../../src/simulator/sample-video.js";
import {
  assertEachRowPaidOnce,
  isCompleteVideo,
  runBatchCli,
  simFor,
  startBatchCli,
} from "../helpers/batch.js";
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

test("kill -9 while tasks generate: the next run polls them again and submits each row once", {
  timeout: 180_000,
}, async (t) => {
  const dir = tempDir(t);
  const sim = await simFor(t, { genTimeMs: 1500 });
  const csv = writeCsv(dir, "in.csv", numberedPrompts(10, "Killed while generating"));
  const ledger = join(dir, "in.ledger.db");
  const run = startBatchCli(dir, csv, sim, ["--concurrency", "4"]);
  // Every slot generating and no create on the wire: the kill lands while tasks generate, not mid-create.
  await waitFor(
    () =>
      ledgerCount(
        ledger,
        "SELECT CASE WHEN SUM(state = 'submitting') > 0 THEN 0 ELSE SUM(state = 'running') END AS n FROM tasks",
      ) >= 4,
    "four running tasks, none being submitted",
  );
  run.child.kill("SIGKILL");
  const killed = await run.done;
  assert.equal(killed.signal, "SIGKILL");
  const before = sim.stats.submissions;
  assert.ok(before >= 3 && before < 10, `killed mid-run (${before} submitted)`);

  const resumed = await runBatchCli(dir, csv, sim, ["--concurrency", "4"]);
  assert.equal(resumed.code, 0, resumed.stderr);
  assertEachRowPaidOnce(dir, sim, 10);
});

test("kill -9 during downloads: no partial file is left as a video; the next run downloads again", {
  timeout: 180_000,
}, async (t) => {
  const dir = tempDir(t);
  const sim = await simFor(t, { genTimeMs: 200, downloadBytesPerSecond: 8000 });
  const csv = writeCsv(dir, "in.csv", numberedPrompts(4, "Killed while downloading"));
  const videos = join(dir, "in-videos");
  const run = startBatchCli(dir, csv, sim, ["--concurrency", "4"]);
  await killWhen(
    run,
    () => existsSync(videos) && readdirSync(videos).some((n) => n.endsWith(".part")),
    "a download under way",
  );
  for (const name of readdirSync(videos).filter((n) => n.endsWith(".mp4"))) {
    assert.ok(isCompleteVideo(join(videos, name), sampleVideo()), `${name} is whole`);
  }
  sim.update({ downloadBytesPerSecond: 0 });
  const resumed = await runBatchCli(dir, csv, sim);
  assert.equal(resumed.code, 0, resumed.stderr);
  assertEachRowPaidOnce(dir, sim, 4);
  assert.deepEqual(
    readdirSync(videos).filter((n) => n.endsWith(".part")),
    [],
    "stale temporary files are cleaned up",
  );
});

test("kill -9 in the first instants, while submissions are in flight, then again later", {
  timeout: 180_000,
}, async (t) => {
  const dir = tempDir(t);
  const sim = await simFor(t, { genTimeMs: 800 });
  const csv = writeCsv(dir, "in.csv", numberedPrompts(8, "Killed twice"));
  const ledger = join(dir, "in.ledger.db");
  const first = startBatchCli(dir, csv, sim, ["--concurrency", "3"]);
  await killWhen(first, () => ledgerCount(ledger, "SELECT COUNT(*) AS n FROM tasks") >= 1, "a first intent");
  const second = startBatchCli(dir, csv, sim, ["--concurrency", "3"]);
  await killWhen(
    second,
    () => ledgerCount(ledger, "SELECT COUNT(*) AS n FROM jobs WHERE status = 'succeeded'") >= 2,
    "two finished rows",
  );
  const third = await runBatchCli(dir, csv, sim, ["--concurrency", "3"]);
  // A kill can land after an intent was committed and before the answer was: that row is
  // `unknown` (the request may or may not have reached KIE) and is never resent on its own.
  const unknown = readResults(join(dir, "in.results.csv")).filter((r) => r.status === "unknown");
  assert.equal(third.code, unknown.length > 0 ? 1 : 0, third.stderr);
  for (const [prompt, count] of sim.stats.submissionsByPrompt)
    assert.equal(count, 1, `${prompt} submitted ${count} times`);
  if (unknown.length > 0) {
    const before = new Map(
      unknown.map((r) => [r.prompt as string, sim.stats.submissionsByPrompt.get(r.prompt as string) ?? 0]),
    );
    const resubmitted = await runBatchCli(dir, csv, sim, ["--resubmit-unknown"]);
    assert.equal(resubmitted.code, 0, resubmitted.stderr);
    for (const [prompt, count] of before)
      assert.equal(
        sim.stats.submissionsByPrompt.get(prompt),
        count + 1,
        "resubmitted exactly once, on request",
      );
  } else {
    assertEachRowPaidOnce(dir, sim, 8);
  }
});
