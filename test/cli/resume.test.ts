import assert from "node:assert/strict";
import { join } from "node:path";
import { runBatchCli, simFor } from "../helpers/batch.js";
import { numberedPrompts, readResults, tempDir, writeCsv } from "../helpers/fixtures.js";
import { test } from "../helpers/leaks.js";

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
