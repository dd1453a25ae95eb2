import assert from "node:assert/strict";
import { readdirSync } from "node:fs";
import { join } from "node:path";
import { runVideoBatch } from "../../src/index.js";
import { sampleVideo } from "../../src/simulator/sample-video.js";
import { KEY, runBatchCli, simFor } from "../helpers/batch.js";
import { numberedPrompts, readResults, tempDir, writeCsv } from "../helpers/fixtures.js";
import { test } from "../helpers/leaks.js";

test("videos over the size cap are paid and kept, said so with the flag to raise; a larger cap fetches them without a new task", async (t) => {
  const dir = tempDir(t);
  const sim = await simFor(t);
  const csv = writeCsv(dir, "in.csv", numberedPrompts(2, "Big video"));
  const capMb = String((sampleVideo().length / 2 / 1048576).toFixed(6)); // half the sample's size
  const first = await runBatchCli(dir, csv, sim, ["--max-video-mb", capMb, "--json"]);
  assert.equal(first.code, 3, first.stderr);
  const rows = readResults(join(dir, "in.results.csv"));
  for (const row of rows) {
    assert.equal(row.status, "running", "generated and paid, not downloaded");
    // The CLI words the setting as its flag, in the results CSV as on the terminal.
    assert.match(
      row.error ?? "",
      /larger than the \d+(\.\d)? KiB cap on a video's size.*\(--max-video-mb\).*raise --max-video-mb/,
    );
  }
  const summary = JSON.parse(first.stdout) as { next: string[] };
  assert.match(summary.next[0] ?? "", /^Raise --max-video-mb: 2 video\(s\) are larger than the cap/);
  assert.ok(!summary.next.some((s) => s.startsWith("Resume")), "the same command would not help");

  const second = await runBatchCli(dir, csv, sim);
  assert.equal(second.code, 0, second.stderr);
  assert.equal(readdirSync(join(dir, "in-videos")).length, 2);
  assert.equal(sim.stats.submissions, 2, "no new task for a video already paid");
});

test("the library reports videos over the cap as data, naming the setting", async (t) => {
  const dir = tempDir(t);
  const sim = await simFor(t);
  const csv = writeCsv(dir, "in.csv", numberedPrompts(1, "Big video"));
  const report = await runVideoBatch(
    { input: csv, baseUrl: sim.url, pollIntervalMs: 50, maxVideoBytes: 1000 },
    { env: { KIE_API_KEY: KEY } },
  );
  assert.equal(report.ending, "resumable");
  assert.equal(report.videosTooLarge, 1);
  assert.deepEqual(report.next, [{ kind: "raise-max-video-bytes", videos: 1 }]);
  assert.match(readResults(report.paths.out)[0]?.error ?? "", /1000 bytes cap .*`maxVideoBytes`/);
});
