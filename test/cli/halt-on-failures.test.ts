import assert from "node:assert/strict";
import { join } from "node:path";
import { runBatchCli, simFor } from "../helpers/batch.js";
import { readResults, tempDir, writeCsv } from "../helpers/fixtures.js";
import { test } from "../helpers/leaks.js";

test("--halt-on-failures: once more than the share of finished rows failed, no more submissions; what runs finishes; exit 3 naming the commonest error", {
  timeout: 120_000,
}, async (t) => {
  const dir = tempDir(t);
  const sim = await simFor(t);
  // A prompt template that trips the (simulated) content filter on nearly every row.
  const rows = Array.from({ length: 30 }, (_, i) => (i % 5 === 4 ? `A calm lake ${i}` : `Scene ${i} [fail]`));
  const csv = writeCsv(dir, "in.csv", `prompt\n${rows.join("\n")}\n`);
  const run = await runBatchCli(dir, csv, sim, [
    "--halt-on-failures",
    "50%",
    "--halt-min-rows",
    "5",
    "--concurrency",
    "2",
  ]);
  assert.equal(run.code, 3, run.stderr);
  assert.match(
    run.stderr,
    /of the \d+ rows that finished in this run failed \(\d+%, more than 50%\); the commonest error \(\d+\): .*Invalid prompt/,
  );
  const statuses = readResults(join(dir, "in.results.csv")).map((r) => r.status);
  assert.ok(statuses.filter((s) => s === "pending").length >= 15, "most rows never submitted");
  assert.ok(!statuses.includes("running") && !statuses.includes("submitting"), "what ran has finished");
  assert.ok(sim.stats.submissions < 15, `${sim.stats.submissions} submitted`);

  const bad = await runBatchCli(dir, csv, sim, ["--halt-on-failures", "150%"]);
  assert.equal(bad.code, 2);
  assert.match(bad.stderr, /--halt-on-failures must be a share such as 10%/);
});
