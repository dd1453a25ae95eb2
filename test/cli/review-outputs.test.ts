import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { KEY, runBatchCli, simFor } from "../helpers/batch.js";
import { runCli } from "../helpers/cli.js";
import { readResults, tempDir, writeCsv } from "../helpers/fixtures.js";
import { pngBytes } from "../helpers/frames.js";
import { test } from "../helpers/leaks.js";
import { reportData } from "../helpers/report.js";
import { markRows, startReviewCli } from "../helpers/review.js";
import { serve } from "../helpers/serve.js";

test("marks reach status, export and the static report; status and --json break spend down by model; status, export and report leave no -wal/-shm beside the input", {
  timeout: 90_000,
}, async (t) => {
  const dir = tempDir(t);
  const sim = await simFor(t);
  const csv = writeCsv(
    dir,
    "spring-promo.csv",
    "id,model,prompt,duration,episode\nk1,kling-2.6,A cat surfing,5,E1\nk2,kling-2.6,A dog skating,5,E1\nt1,v2-5-turbo,A train on a viaduct,10,E2\n",
  );
  const run = await runBatchCli(dir, csv, sim);
  assert.equal(run.code, 0, run.stderr);
  const review = await startReviewCli(t, dir, ["review", "spring-promo.csv", "--port", "0"], {
    KIE_API_KEY: KEY,
  });
  await markRows(review.url, [
    ["id:k1", "keep"],
    ["id:t1", "redo", 'train too slow, "faster"'],
  ]);
  await review.stop();
  const files = () => readdirSync(dir).filter((f) => /-(wal|shm)$/.test(f));
  assert.deepEqual(files(), []);

  // status: the marks, and spend by model (text and --json).
  const status = await runCli(["status", "spring-promo.csv"], { cwd: dir });
  assert.equal(status.code, 0, status.stderr);
  assert.match(status.stdout, /^ {2}kling-2\.6: \$0\.55 over 2 task\(s\)$/m);
  assert.match(status.stdout, /^ {2}v2-5-turbo: \$\d+\.\d\d over 1 task\(s\)$/m);
  assert.match(
    status.stdout,
    /Reviewed: 1 marked Keep, 1 marked Redo; to redo them: vidbatch run \S*spring-promo\.csv --base-url \S+ .*--redo/,
  );
  const json = JSON.parse((await runCli(["status", "spring-promo.csv", "--json"], { cwd: dir })).stdout);
  assert.deepEqual(json.marks, { keep: 1, redo: 1 });
  assert.deepEqual(
    json.spendByModel.map((m: { model: string; tasks: number }) => [m.model, m.tasks]).sort(),
    [
      ["kling-2.6", 2],
      ["v2-5-turbo", 1],
    ],
  );
  const byModel = json.spendByModel.reduce((sum: number, m: { spentUsd: number }) => sum + m.spentUsd, 0);
  assert.ok(Math.abs(byModel - json.spentUsd) < 1e-9, "the breakdown adds up to the total");

  // export: the results carry the marks; --marks writes them alone.
  assert.equal((await runCli(["export", "spring-promo.csv"], { cwd: dir })).code, 0);
  const rows = readResults(join(dir, "spring-promo.results.csv"));
  assert.deepEqual(
    rows.map((r) => [r.id, r.model, r.model_used, r.review_mark, r.review_note]),
    [
      ["k1", "kling-2.6", "kling-2.6", "keep", ""],
      ["k2", "kling-2.6", "kling-2.6", "", ""],
      ["t1", "v2-5-turbo", "v2-5-turbo", "redo", 'train too slow, "faster"'],
    ],
    "the input's own model column stays; the one each row ran on is model_used",
  );
  const marks = await runCli(["export", "spring-promo.csv", "--marks"], { cwd: dir });
  assert.equal(marks.code, 0, marks.stderr);
  assert.equal(
    readFileSync(join(dir, "spring-promo.marks.csv"), "utf8"),
    '\uFEFFid,line,mark,note\r\nk1,2,keep,\r\nt1,4,redo,"train too slow, ""faster"""\r\n',
  );

  // report: named after the batch, the marks on the cards, the sheet's own column.
  assert.equal((await runCli(["report", "spring-promo.csv"], { cwd: dir })).code, 0);
  const html = readFileSync(join(dir, "spring-promo.report.html"), "utf8");
  assert.match(html, /<title>spring-promo · vidbatch report<\/title>/);
  const data = reportData(html);
  assert.deepEqual(
    data.cards.map((c) => [c.id, c.mark, c.extras]),
    [
      ["k1", "keep", [["episode", "E1"]]],
      ["k2", null, [["episode", "E1"]]],
      ["t1", "redo", [["episode", "E2"]]],
    ],
  );
  assert.match(
    data.redoCommand,
    /^vidbatch run \S*spring-promo\.csv --base-url http:\/\/127\.0\.0\.1:\d+ .*--redo$/,
  );
  assert.deepEqual(files(), [], "status, export and report leave no -wal/-shm behind");
});

test("a web image a row was made from is kept beside its video, so the report and the review show it when the host is gone; a host that answers with a page is left alone", {
  timeout: 90_000,
}, async (t) => {
  const dir = tempDir(t);
  const sim = await simFor(t);
  const png = pngBytes(640, 360);
  let hostUp = true;
  const host = await serve(t, (req, res) => {
    if (!hostUp) return void res.writeHead(503).end();
    if (req.url === "/cat.png") return void res.writeHead(200, { "content-type": "image/png" }).end(png);
    res.writeHead(200, { "content-type": "text/html" }).end("<html>sign in</html>");
  });
  const csv = writeCsv(
    dir,
    "in.csv",
    `id,prompt,image_url\ncat,The cat blinks,${host}/cat.png\nwall,The wall cracks,${host}/login.png\n`,
  );
  const run = await runBatchCli(dir, csv, sim);
  assert.equal(run.code, 0, run.stderr);
  assert.deepEqual(readFileSync(join(dir, "in-videos", "cat.source.png")), png);
  assert.deepEqual(
    readdirSync(join(dir, "in-videos")).sort(),
    ["cat.mp4", "cat.source.png", "wall.mp4"],
    "no copy of a page that is not an image, and no partial file",
  );
  const cards = reportData(join(dir, "in.report.html")).cards;
  assert.deepEqual(
    cards.map((c) => c.frames.map((f) => f.href)),
    [["in-videos/cat.source.png"], [`${host}/login.png`]],
  );
  hostUp = false;
  const review = await startReviewCli(t, dir, ["review", "in.csv", "--port", "0"]);
  const served = await fetch(`${review.url}media/frame?row=id%3Acat&n=0`);
  assert.equal(served.status, 200);
  assert.equal(served.headers.get("content-type"), "image/png");
  assert.deepEqual(Buffer.from(await served.arrayBuffer()), png);
});

test("--redo is priced before it is paid: the dry run names the rows and the estimate, and --max-cost caps the new attempts like any spend", {
  timeout: 90_000,
}, async (t) => {
  const dir = tempDir(t);
  const sim = await simFor(t);
  const csv = writeCsv(dir, "in.csv", "id,prompt\na,A red kite\nb,A blue kite\nc,A green kite\n");
  assert.equal((await runBatchCli(dir, csv, sim)).code, 0);
  const review = await startReviewCli(t, dir, ["review", "in.csv", "--port", "0"]);
  await markRows(review.url, [
    ["id:a", "redo"],
    ["id:c", "redo"],
  ]);
  await review.stop();

  const plain = await runBatchCli(dir, csv, sim, ["--dry-run"]);
  assert.match(
    plain.stderr,
    /2 row\(s\) are marked Redo in review: add --redo to submit a new attempt of each \(estimated \$0\.55\)/,
  );
  const dry = await runBatchCli(dir, csv, sim, ["--dry-run", "--redo", "--max-cost", "1.00"]);
  assert.match(
    dry.stderr,
    /--redo: 2 row\(s\) marked Redo would get a new attempt: new, paid tasks, estimated \$0\.55 more/,
  );
  assert.match(dry.stderr, /--max-cost \$1\.00 would stop the run before every row is submitted/);
  assert.equal(sim.stats.submissions, 3, "a dry run submits nothing");

  // $0.825 spent; a $1.10 budget leaves room for one new attempt, not two.
  const capped = await runBatchCli(dir, csv, sim, ["--redo", "--max-cost", "1.10", "--concurrency", "1"]);
  assert.equal(capped.code, 3, capped.stderr);
  assert.equal(sim.stats.submissions, 4);
  const status = JSON.parse((await runCli(["status", "in.csv", "--json"], { cwd: dir })).stdout);
  assert.deepEqual(status.marks, { keep: 0, redo: 1 }, "the row not redone keeps its mark for the next run");
  assert.deepEqual(status.byStatus, { succeeded: 3 }, "and shows its last result again, not 'pending'");
  assert.ok(status.spentUsd <= 1.1);
  assert.match(capped.stderr, /Next: Raise --max-cost .* --redo/, "the next command still redoes it");
  const plainAfter = await runBatchCli(dir, csv, sim);
  assert.equal(plainAfter.code, 0, plainAfter.stderr);
  assert.equal(sim.stats.submissions, 4, "a plain run never pays for a row marked Redo");
});

test("--redo --limit: the rows it does not reach keep their result and their mark (no plain run pays for them); a failed row marked Keep is said to stay, and not suggested again", {
  timeout: 90_000,
}, async (t) => {
  const dir = tempDir(t);
  const sim = await simFor(t);
  const csv = writeCsv(
    dir,
    "in.csv",
    "id,prompt,status\na,A red kite,draft\nb,A blue kite,draft\nc,A green kite,draft\nz,A [fail] kite,draft\n",
  );
  const first = await runBatchCli(dir, csv, sim);
  assert.equal(first.code, 1);
  assert.match(first.stderr, /the input's column\(s\) "status" have the names of vidbatch's result columns/);
  const review = await startReviewCli(t, dir, ["review", "in.csv", "--port", "0"]);
  await markRows(review.url, [
    ["id:a", "redo"],
    ["id:b", "redo"],
    ["id:c", "redo"],
    ["id:z", "keep"],
  ]);
  await review.stop();
  const limited = await runBatchCli(dir, csv, sim, ["--redo", "--limit", "1", "--retry-failed"]);
  assert.equal(limited.code, 1, limited.stderr);
  assert.equal(sim.stats.submissions, 5, "one new attempt; the row marked Keep is not retried");
  assert.match(
    limited.stderr,
    /--retry-failed: 1 failed row\(s\) marked Keep in review stay as they are \(line 5\)/,
  );
  assert.doesNotMatch(
    limited.stderr,
    /Next: (Retry|The provider's content filter)/,
    "nothing left to retry or edit",
  );
  const status = JSON.parse((await runCli(["status", "in.csv", "--json"], { cwd: dir })).stdout);
  assert.deepEqual(status.byStatus, { succeeded: 3, failed: 1 });
  assert.deepEqual(status.marks, { keep: 1, redo: 2 });
  const plain = await runBatchCli(dir, csv, sim);
  assert.equal(sim.stats.submissions, 5, `a plain run pays for nothing: ${plain.stderr}`);
  const again = await runBatchCli(dir, csv, sim, ["--redo"]);
  assert.equal(sim.stats.submissions, 7, `the next --redo takes the other two: ${again.stderr}`);
});
