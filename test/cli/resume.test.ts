import assert from "node:assert/strict";
import { join } from "node:path";
import { sampleVideo } from "../../src/simulator/sample-video.js";
import { isCompleteVideo, runBatchCli, simFor } from "../helpers/batch.js";
import { numberedPrompts, readResults, tempDir, writeCsv } from "../helpers/fixtures.js";
import { test } from "../helpers/leaks.js";

/** After the final run: every row submitted exactly once, all succeeded, videos whole. */
function _assertEachRowPaidOnce(dir: string, sim: Awaited<ReturnType<typeof simFor>>, n: number) {
  assert.equal(sim.stats.submissionsByPrompt.size, n);
  for (const [prompt, count] of sim.stats.submissionsByPrompt)
    assert.equal(count, 1, `${prompt} was submitted ${count} times`);
  const rows = readResults(join(dir, "in.results.csv"));
  assert.equal(rows.length, n);
  for (const r of rows) {
    assert.equal(r.status, "succeeded", `${r.prompt}: ${r.error}`);
    assert.ok(isCompleteVideo(join(dir, r.video_path as string), sampleVideo()));
  }
}

test("a connection dropped after the create is sent makes the row unknown, never a silent resend", {
  timeout: 120_000,
}, async (t) => {
  const dir = tempDir(t);
  const sim = await simFor(t, { faults: { createDropRate: 1 } });
  const csv = writeCsv(dir, "in.csv", numberedPrompts(2, "Dropped"));
  const run = await runBatchCli(dir, csv, sim);
  assert.equal(run.code, 1, run.stderr);
  assert.deepEqual(
    readResults(join(dir, "in.results.csv")).map((r) => r.status),
    ["unknown", "unknown"],
  );
  assert.equal(sim.stats.submissions, 2);
});
