import assert from "node:assert/strict";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { ledgerPathFor, runBatchCli, simFor } from "../helpers/batch.js";
import { queryLedger, readResults, tempDir } from "../helpers/fixtures.js";
import { test } from "../helpers/leaks.js";
import { workbook } from "../helpers/xlsx.js";

test("a workbook written by openpyxl: emoji stored as character references reach the provider intact, a 14:30 time cell stays 14:30", {
  timeout: 60_000,
}, async (t) => {
  const dir = tempDir(t);
  const sim = await simFor(t);
  const book = join(dir, "in.xlsx");
  writeFileSync(
    book,
    workbook([
      {
        name: "Shots",
        rows: [
          ["id", "prompt", "start", "take"],
          // openpyxl writes characters past U+FFFF as XML character references, decimal or hex.
          [
            "a",
            "A clapper &#127916; and a grin &#x1F600; &amp; a CJK &#x20BB7; name",
            { time: 0.6041666666666666 },
            1,
          ],
          ["b", "Plain text, caf&#233;", { time: 0.75 + 15 / 86400 }, 2],
        ],
      },
    ]),
  );
  const run = await runBatchCli(dir, book, sim);
  assert.equal(run.code, 0, run.stderr);
  const requests = queryLedger<{ request_json: string }>(
    ledgerPathFor(dir),
    "SELECT request_json FROM tasks ORDER BY id",
  ).map((r) => JSON.parse(r.request_json) as { input: { prompt: string } });
  assert.equal(requests[0]?.input.prompt, "A clapper 🎬 and a grin 😀 & a CJK 𠮷 name");
  assert.equal(requests[1]?.input.prompt, "Plain text, café");
  const rows = readResults(join(dir, "in.results.csv"));
  assert.deepEqual(
    rows.map((r) => [r.id, r.start]),
    [
      ["a", "14:30"],
      ["b", "18:00:15"],
    ],
  );
});

test("a workbook whose first sheet is not the batch: the error names its sheets and suggests --sheet, which then works", {
  timeout: 60_000,
}, async (t) => {
  const dir = tempDir(t);
  const sim = await simFor(t);
  const book = join(dir, "in.xlsx");
  writeFileSync(
    book,
    workbook([
      { name: "Read me", rows: [["How to use this workbook"], ["Fill the Batch sheet"]] },
      { name: "Batch", rows: [["prompt"], ["A lighthouse in fog"]] },
      { name: "P&L", rows: [["cost"], [1]] },
    ]),
  );
  const first = await runBatchCli(dir, book, sim);
  assert.equal(first.code, 2);
  assert.match(
    first.stderr,
    /The first sheet of the workbook .*in\.xlsx, "Read me", has no prompt column \(its columns: "How to use this workbook"\)\. The workbook's sheets: "Read me", "Batch", "P&L": name the batch's with --sheet \(e\.g\. --sheet "Batch"\)/,
  );
  assert.equal(sim.stats.submissions, 0);
  const second = await runBatchCli(dir, book, sim, ["--sheet", "Batch"]);
  assert.equal(second.code, 0, second.stderr);
  assert.equal(sim.stats.submissions, 1);
});
