import assert from "node:assert/strict";
import { appendFileSync } from "node:fs";
import { join } from "node:path";
import { runBatchCli, simFor } from "../helpers/batch.js";
import { readResults, statusCounts, tempDir, writeCsv } from "../helpers/fixtures.js";
import { test } from "../helpers/leaks.js";

const CSV = `id,prompt,image_url,duration
a,A kite over a beach,,5
b,A tram in the rain,https://example.com/tram.png,5
c,,,5
d,A heron at dawn,,7
`;

test("an unchanged input is not read again on resume; any change to it or to the defaults is", {
  timeout: 60_000,
}, async (t) => {
  const dir = tempDir(t);
  const csv = writeCsv(dir, "in.csv", CSV);
  const sim = await simFor(t);
  const first = await runBatchCli(dir, csv, sim);
  assert.equal(first.code, 1, first.stderr); // two invalid rows
  assert.match(first.stderr, /invalid row: line 4/);
  assert.match(first.stderr, /4 rows \(1 text-to-video, 1 image-to-video, 2 invalid\)/);

  const again = await runBatchCli(dir, csv, sim);
  assert.equal(again.code, 1);
  assert.match(
    again.stderr,
    /The input is unchanged since the last run: its 4 rows were not read again \(2 invalid/,
  );
  assert.doesNotMatch(again.stderr, /invalid row: line 4/);
  // The plan it shows is the same, read from the ledger.
  assert.match(again.stderr, /4 rows \(1 text-to-video, 1 image-to-video, 2 invalid\)/);
  assert.equal(sim.stats.submissions, 2);

  // A new row: the input is read again, and only the new row is submitted.
  appendFileSync(csv, "e,A fox in snow,,5\n");
  const edited = await runBatchCli(dir, csv, sim);
  assert.doesNotMatch(edited.stderr, /The input is unchanged/);
  assert.match(edited.stderr, /invalid row: line 4/);
  assert.equal(sim.stats.submissions, 3);
  assert.deepEqual(statusCounts(readResults(join(dir, "in.results.csv")), "succeeded", "invalid"), [3, 2]);

  // Other defaults for empty cells change the plan too: read again.
  const otherDefaults = await runBatchCli(dir, csv, sim, ["--aspect-ratio", "9:16"]);
  assert.doesNotMatch(otherDefaults.stderr, /The input is unchanged/);
  const settled = await runBatchCli(dir, csv, sim, ["--aspect-ratio", "9:16"]);
  assert.match(settled.stderr, /The input is unchanged since the last run: its 5 rows/);
  assert.equal(sim.stats.submissions, 3, "nothing was submitted twice");
});
