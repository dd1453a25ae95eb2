import assert from "node:assert/strict";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { runBatchCli, simFor } from "../helpers/batch.js";
import { readResults, tempDir, writeCsv } from "../helpers/fixtures.js";
import { test } from "../helpers/leaks.js";
import { markRows, startReviewCli } from "../helpers/review.js";

test("a prompt the content filter refused is not offered to --retry-failed: the run says to edit line N, and the edited row goes again", {
  timeout: 60_000,
}, async (t) => {
  const dir = tempDir(t);
  const sim = await simFor(t, { failRate: 0 });
  const csv = writeCsv(dir, "in.csv", "id,prompt\nok,A calm sea\nbad,A [fail] brawl in a bar\n");
  const first = await runBatchCli(dir, csv, sim);
  assert.equal(first.code, 1, first.stderr);
  assert.match(
    first.stderr,
    /The provider's content filter refused line 3: the same prompt would be refused again, so edit the prompt on that line; the next run submits an edited row again: vidbatch run /,
  );
  assert.doesNotMatch(first.stderr, /--retry-failed/, "retrying the same prompt would be refused again");

  // The user edits the prompt; the next plain run submits the edited row (and nothing else).
  writeFileSync(csv, "id,prompt\nok,A calm sea\nbad,A quiet bar at closing time\n");
  const before = sim.stats.submissions;
  const second = await runBatchCli(dir, csv, sim);
  assert.equal(second.code, 0, second.stderr);
  assert.match(
    second.stderr,
    /line 3: row "bad" was edited since it failed: it is submitted again with the new request/,
  );
  assert.equal(sim.stats.submissions - before, 1);
  const rows = readResults(join(dir, "in.results.csv"));
  assert.deepEqual(
    rows.map((r) => [r.id, r.status, r.attempts]),
    [
      ["ok", "succeeded", "1"],
      ["bad", "succeeded", "2"],
    ],
  );
});

test("--redo on a row the content filter refused does not pay for the same prompt again: it says to edit the prompt", {
  timeout: 60_000,
}, async (t) => {
  const dir = tempDir(t);
  const sim = await simFor(t);
  const csv = writeCsv(dir, "in.csv", "id,prompt\nok,A calm sea\nbad,A [fail] brawl in a bar\n");
  assert.equal((await runBatchCli(dir, csv, sim)).code, 1);
  const review = await startReviewCli(t, dir, ["review", "in.csv", "--port", "0"]);
  await markRows(review.url, [
    ["id:ok", "redo"],
    ["id:bad", "redo"],
  ]);
  await review.stop();
  const before = sim.stats.submissions;
  const redo = await runBatchCli(dir, csv, sim, ["--redo"]);
  assert.match(
    redo.stderr,
    /--redo: the provider's content filter refused line 3; the same prompt would be refused again, so it is not submitted: edit the prompt in the sheet/,
  );
  assert.match(redo.stderr, /--redo: 1 row\(s\) marked Redo get a new attempt/);
  assert.equal(sim.stats.submissions - before, 1, "only the row that can succeed");
});
