import assert from "node:assert/strict";
import { join } from "node:path";
import { sampleVideo } from "../../src/simulator/sample-video.js";
import { isCompleteVideo, runKlingCli, simFor, submittedOnceEach } from "../helpers/batch.js";
import { numberedPrompts, queryLedger, readResults, tempDir, writeCsv } from "../helpers/fixtures.js";
import { test } from "../helpers/leaks.js";

test("kling: a lost create is matched by its exact external id, never by a stranger's newer task on a list that ignores its filter", {
  timeout: 90_000,
}, async (t) => {
  const dir = tempDir(t);
  const csv = writeCsv(dir, "in.csv", numberedPrompts(3, "Lookup among strangers"));
  const sim = await simFor(t, {
    genTimeMs: 300,
    // Every create makes its task and loses its answer; the documented path lookup does not see the
    // task yet; the query form answers the whole list, another tool's tasks first.
    faults: { createDropRate: 1 },
    kling: { externalLookupDelayMs: 60_000, listIgnoresFilter: true, foreignTasks: 3 },
  });
  const r = await runKlingCli(dir, csv, sim, ["--concurrency", "1"]);
  assert.equal(r.code, 0, r.stderr);
  assert.equal(sim.stats.submissions, 3);
  assert.ok(submittedOnceEach(sim));
  const tasks = queryLedger<{ task_id: string }>(join(dir, "in.ledger.db"), "SELECT task_id FROM tasks");
  assert.equal(tasks.length, 3);
  for (const task of tasks) assert.ok(sim.stats.tasks.has(task.task_id), `${task.task_id} is one of ours`);
  const rows = readResults(join(dir, "in.results.csv"));
  for (const row of rows) {
    assert.equal(row.status, "succeeded", row.error);
    assert.ok(!row.video_url?.includes("foreign"), "not a stranger's video");
    assert.ok(isCompleteVideo(join(dir, row.video_path as string), sampleVideo()));
  }
});

test("kling: a lookup whose list names only strangers proves nothing: the row stays unknown, not adopted, not resubmitted", {
  timeout: 90_000,
}, async (t) => {
  const dir = tempDir(t);
  const csv = writeCsv(dir, "in.csv", "prompt\nA lone lookup\n");
  const sim = await simFor(t, {
    genTimeMs: 300,
    faults: { createDropRate: 1 },
    // The list shows only the three newest tasks: another tool's. Ours is on a later page.
    kling: { externalLookupDelayMs: 60_000, listIgnoresFilter: true, foreignTasks: 30 },
  });
  const r = await runKlingCli(dir, csv, sim);
  const tasks = queryLedger<{ task_id: string | null; state: string }>(
    join(dir, "in.ledger.db"),
    "SELECT task_id, state FROM tasks",
  );
  assert.equal(sim.stats.submissions, 1, "never resubmitted on a guess");
  assert.ok(
    tasks.every((task) => task.task_id === null || sim.stats.tasks.has(task.task_id)),
    "no stranger's task adopted",
  );
  assert.equal(r.code, 1, r.stderr);
  assert.equal(readResults(join(dir, "in.results.csv"))[0]?.status, "unknown");
});
