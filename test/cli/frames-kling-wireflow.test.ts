import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import {
  counter,
  KLING_ENV,
  ledgerPathFor,
  runKlingCli,
  runWireflowCli,
  simFor,
  WIREFLOW_ENV,
} from "../helpers/batch.js";
import { queryLedger, readResults, tempDir, writeCsv } from "../helpers/fixtures.js";
import { PHOTO_JPG, pngBytes, sha256, writeFrame } from "../helpers/frames.js";
import { test } from "../helpers/leaks.js";

test("Kling gets local frames inline as Base64 without a data: prefix; the ledger keeps a file+hash reference, not the bytes", {
  timeout: 120_000,
}, async (t) => {
  const dir = tempDir(t);
  const sim = await simFor(t);
  const start = writeFrame(dir, "frames/start.jpg", readFileSync(PHOTO_JPG));
  const end = writeFrame(dir, "frames/end.png", pngBytes(640, 360, { shade: 40 }));
  writeFrame(dir, "frames/huge.png", pngBytes(640, 360, { padTo: 8 * 1024 * 1024 }));
  const csv = writeCsv(
    dir,
    "in.csv",
    `prompt,model,image_url,end_image_url,mode
From a photo,kling-2.6,frames/start.jpg,,
Photo to dusk,v2-5-turbo,frames/start.jpg,frames/end.png,pro
Too big to send inline,kling-2.6,frames/huge.png,,
`,
  );
  const run = await runKlingCli(dir, csv, sim);
  assert.equal(run.code, 1, run.stderr);
  assert.match(
    run.stderr,
    /line 4, column image_url: frames\/huge\.png is 8 MB; Kling \(sent inline as Base64, 4\/3 of the file, within its 10 MB\) takes at most 7\.5 MB/,
  );
  assert.deepEqual(
    readResults(join(dir, "in.results.csv")).map((r) => r.status),
    ["succeeded", "succeeded", "invalid"],
  );
  // The simulator decoded each image it was sent: exactly the files' bytes, and no prefix refused.
  assert.deepEqual(sim.stats.inlineImageSha256, [sha256(start), sha256(start), sha256(end)]);
  assert.equal(counter(sim, "kling.image.data-prefix"), 0);
  assert.equal(sim.stats.uploadedSha256.length, 0, "Kling takes frames inline: nothing is uploaded");
  const requests = queryLedger<{ request_json: string }>(
    ledgerPathFor(dir),
    "SELECT request_json FROM tasks",
  );
  for (const { request_json } of requests) {
    assert.ok(request_json.length < 2000, "no Base64 in the ledger");
    const body = JSON.parse(request_json) as { image: string; image_tail?: string };
    assert.match(body.image, /^file:\/\/.*\/frames\/start\.jpg#sha256=[0-9a-f]{64}$/);
    assert.ok(body.image.endsWith(sha256(start)));
  }
});

test("Wireflow uploads local frames through its media endpoints (inline door, presigned flow above 4 MB) and runs with the URLs", {
  timeout: 120_000,
}, async (t) => {
  const dir = tempDir(t);
  const sim = await simFor(t);
  writeFrame(dir, "frames/small.jpg", readFileSync(PHOTO_JPG));
  const big = writeFrame(dir, "frames/big.png", pngBytes(1280, 720, { padTo: 5 * 1024 * 1024 }));
  const csv = writeCsv(
    dir,
    "in.csv",
    // An end frame the workflow does not take: not sent, so neither checked nor uploaded.
    "prompt,image_url,end_image_url\nA small frame,frames/small.jpg,frames/missing.png\nA big frame,frames/big.png,\nThe small one again,frames/small.jpg,\n",
  );
  const run = await runWireflowCli(dir, csv, sim);
  assert.equal(run.code, 0, run.stderr);
  assert.match(
    run.stderr,
    /the end_image_url column is filled in 1 row\(s\), but wireflow does not support it/,
  );
  assert.deepEqual(
    readResults(join(dir, "in.results.csv")).map((r) => r.status),
    ["succeeded", "succeeded", "succeeded"],
  );
  assert.equal(counter(sim, "wireflow.uploads"), 2, "one upload per distinct file");
  assert.ok(sim.stats.uploadedSha256.includes(sha256(big)), "the big file came through the presigned flow");
  assert.equal(counter(sim, "wireflow.storage.key-leaked"), 0, "the key never goes to the storage host");
  const requests = queryLedger<{ request_json: string }>(
    ledgerPathFor(dir),
    "SELECT request_json FROM tasks",
  );
  const images = requests.map((r) =>
    Object.values((JSON.parse(r.request_json) as { inputs: object }).inputs),
  );
  for (const values of images)
    assert.ok(
      values.some((v) => typeof v === "string" && v.startsWith(`${sim.url}/sim-media/`)),
      JSON.stringify(values),
    );
  const uploads = queryLedger<Record<string, unknown>>(ledgerPathFor(dir), "SELECT * FROM uploads");
  assert.ok(!JSON.stringify(uploads).includes(WIREFLOW_ENV.WIREFLOW_API_KEY));
  assert.ok(!JSON.stringify(uploads).includes(KLING_ENV.KLING_SECRET_KEY));
});

test("Wireflow: a bad frame in the image input's column is one row error, said once, and nothing is uploaded", {
  timeout: 60_000,
}, async (t) => {
  const dir = tempDir(t);
  const sim = await simFor(t);
  writeFrame(dir, "frames/tiny.gif", Buffer.from("GIF89a\x01\x00\x01\x00", "latin1"));
  const csv = writeCsv(
    dir,
    "in.csv",
    "prompt,image_url\nA gif,frames/tiny.gif\nA missing one,frames/nope.png\n",
  );
  const run = await runWireflowCli(dir, csv, sim);
  assert.equal(run.code, 1, run.stderr);
  const rows = readResults(join(dir, "in.results.csv"));
  assert.equal(
    rows[0]?.error,
    "line 2, column image_url: frames/tiny.gif is a GIF image; Wireflow's media upload takes JPEG, PNG or WebP images",
  );
  assert.match(rows[1]?.error ?? "", /^line 3, column image_url: there is no file frames\/nope\.png/);
  assert.equal((rows[1]?.error ?? "").split("there is no file").length, 2, "said once");
  assert.equal(counter(sim, "wireflow.uploads"), 0);
  assert.equal(sim.stats.submissions, 0);
});
