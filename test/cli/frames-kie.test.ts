import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { appendFileSync, copyFileSync, mkdirSync, readFileSync, renameSync } from "node:fs";
import { createServer } from "node:http";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import Database from "better-sqlite3";
import { counter, KEY, ledgerPathFor, runArgs, runBatchCli, simFor } from "../helpers/batch.js";
import { runCli } from "../helpers/cli.js";
import { queryLedger, readResults, tempDir, writeCsv } from "../helpers/fixtures.js";
import { PHOTO_JPG, pngBytes, sha256, writeFrame } from "../helpers/frames.js";
import { test } from "../helpers/leaks.js";
import { reportData } from "../helpers/report.js";

interface UploadRow {
  account: string;
  sha256: string;
  url: string;
  uploaded_at: string;
  uploads: number;
}

/** The image URLs each KIE create carried, by prompt. */
function sentImages(ledger: string): Map<string, string[]> {
  const rows = queryLedger<{ request_json: string }>(ledger, "SELECT request_json FROM tasks");
  return new Map(
    rows.map((r) => {
      const body = JSON.parse(r.request_json) as { input: { prompt: string; image_urls?: string[] } };
      return [body.input.prompt, body.input.image_urls ?? []];
    }),
  );
}

test("local frames: relative, absolute and file:// paths run on KIE; each file is uploaded once, a resume uploads nothing", {
  timeout: 120_000,
}, async (t) => {
  const dir = tempDir(t);
  const sim = await simFor(t);
  const cat = writeFrame(dir, "frames/cat.png", pngBytes(640, 360));
  const photo = join(dir, "elsewhere", "photo.jpg");
  writeFrame(dir, "elsewhere/photo.jpg", readFileSync(PHOTO_JPG));
  const csv = writeCsv(
    dir,
    "in.csv",
    `id,prompt,image_url
rel,A cat from a relative path,frames/cat.png
abs,A photo from an absolute path,${photo}
url,The same cat as a file URL,${pathToFileURL(cat).href}
text,No frame at all,
`,
  );
  const run = await runBatchCli(dir, csv, sim);
  assert.equal(run.code, 0, run.stderr);
  assert.deepEqual(
    readResults(join(dir, "in.results.csv")).map((r) => r.status),
    ["succeeded", "succeeded", "succeeded", "succeeded"],
  );
  // Two distinct files: two uploads, whatever the number of rows naming them.
  assert.deepEqual([...sim.stats.uploadedSha256].sort(), [sha256(cat), sha256(photo)].sort());
  const ledger = ledgerPathFor(dir);
  const uploads = queryLedger<UploadRow>(ledger, "SELECT * FROM uploads");
  assert.equal(uploads.length, 2);
  const images = sentImages(ledger);
  const catUrl = uploads.find((u) => u.sha256 === sha256(cat))?.url;
  assert.ok(catUrl?.startsWith(`${sim.url}/sim-media/`), catUrl);
  assert.deepEqual(images.get("A cat from a relative path"), [catUrl]);
  assert.deepEqual(images.get("The same cat as a file URL"), [catUrl]);
  assert.deepEqual(images.get("No frame at all"), []);
  // No key in any stored upload record, nor in the table as a whole.
  assert.ok(!JSON.stringify(uploads).includes(KEY));
  assert.ok(uploads.every((u) => /^[0-9a-f]{64}$/.test(u.account)));

  // An appended row naming a known file, and a resume: nothing is uploaded again.
  appendFileSync(csv, "more,The cat once more,frames/cat.png\n");
  const again = await runBatchCli(dir, csv, sim);
  assert.equal(again.code, 0, again.stderr);
  assert.equal(sim.stats.uploadedSha256.length, 2);
  assert.equal(readResults(join(dir, "in.results.csv"))[4]?.status, "succeeded");
  assert.deepEqual(sentImages(ledger).get("The cat once more"), [catUrl]);
  const resumed = await runBatchCli(dir, csv, sim);
  assert.equal(resumed.code, 0, resumed.stderr);
  assert.equal(sim.stats.uploadedSha256.length, 2);
  assert.equal(sim.stats.submissions, 5, "each row paid once");
});

test("an upload older than KIE's retention is uploaded again before the create that needs it", {
  timeout: 120_000,
}, async (t) => {
  const dir = tempDir(t);
  const sim = await simFor(t);
  writeFrame(dir, "frames/cat.png", pngBytes(640, 360));
  const csv = writeCsv(dir, "in.csv", "id,prompt,image_url\na,A cat,frames/cat.png\n");
  assert.equal((await runBatchCli(dir, csv, sim)).code, 0);
  const ledger = ledgerPathFor(dir);
  const [first] = queryLedger<UploadRow>(ledger, "SELECT * FROM uploads");
  assert.ok(first);

  // Two days pass: KIE has deleted the file (its docs: after 24 hours, or 3 days).
  sim.update({ mediaAgeOffsetMs: 2 * 24 * 3_600_000 });
  const gone = await fetch(first.url);
  assert.equal(gone.status, 404, "the simulator no longer serves the expired upload");
  const db = new Database(ledger);
  db.prepare("UPDATE uploads SET uploaded_at = ?").run(
    new Date(Date.now() - 2 * 24 * 3_600_000).toISOString(),
  );
  db.close();

  appendFileSync(csv, "b,The cat again,frames/cat.png\n");
  const run = await runBatchCli(dir, csv, sim);
  assert.equal(run.code, 0, run.stderr);
  assert.equal(sim.stats.uploadedSha256.length, 2, "uploaded again");
  const [second] = queryLedger<UploadRow>(ledger, "SELECT * FROM uploads");
  assert.ok(second && second.url !== first.url && second.uploads === 2);
  assert.deepEqual(sentImages(ledger).get("The cat again"), [second.url]);
  assert.equal(counter(sim, "media.expired-used"), 0, "no create named the expired upload");
});

test("bad frames are row errors before any request; a PNG named .jpg is taken by its bytes, a text file named .png is not", {
  timeout: 120_000,
}, async (t) => {
  const dir = tempDir(t);
  const sim = await simFor(t);
  writeFrame(dir, "frames/tiny.png", pngBytes(200, 200));
  writeFrame(dir, "frames/wide.png", pngBytes(1000, 300));
  writeFrame(dir, "frames/really-a-png.jpg", pngBytes(640, 360));
  writeFrame(dir, "frames/notes.png", Buffer.from("shot list: harbour, lighthouse\n"));
  writeFrame(dir, "frames/page.jpg", Buffer.from("<!DOCTYPE html><html><body>Sign in</body></html>"));
  writeFrame(dir, "frames/cut.png", pngBytes(640, 360).subarray(0, 100));
  writeFrame(dir, "frames/cut.jpg", readFileSync(PHOTO_JPG).subarray(0, 1000));
  const csv = writeCsv(
    dir,
    "in.csv",
    `prompt,image_url
Too small,frames/tiny.png
Too wide,frames/wide.png
Missing,frames/nope.png
Renamed PNG,frames/really-a-png.jpg
Text file,frames/notes.png
A web page saved as .jpg,frames/page.jpg
A PNG cut short,frames/cut.png
A JPEG cut short,frames/cut.jpg
A WebP by its name,https://cdn.example.com/frames/cat.webp
`,
  );
  const dry = await runCli(["run", csv, "--dry-run"], { cwd: dir, env: {} });
  assert.equal(dry.code, 1, "invalid rows: exit 1");
  const said = dry.stdout + dry.stderr;
  assert.match(
    said,
    /line 2, column image_url: frames\/tiny\.png is 200×200 pixels; KIE needs at least 300 pixels on each side/,
  );
  assert.match(said, /line 3, column image_url: frames\/wide\.png is 1000×300 pixels \(aspect 3\.333:1\)/);
  assert.match(said, /line 4, column image_url: there is no file frames\/nope\.png/);
  assert.match(said, /line 6, column image_url: frames\/notes\.png is a text file, not an image/);
  assert.match(said, /line 7, column image_url: frames\/page\.jpg is a web page \(HTML\), not an image/);
  assert.match(said, /line 8, column image_url: frames\/cut\.png is a PNG file cut short or damaged/);
  assert.match(said, /line 9, column image_url: frames\/cut\.jpg is a JPEG file cut short/);
  assert.match(
    said,
    /line 10, column image_url: .*cat\.webp" is a WebP image by its name, which KIE does not take/,
  );
  assert.doesNotMatch(said, /line 5/);
  assert.equal(counter(sim, "requests"), 0, "a dry run sends nothing");

  const run = await runBatchCli(dir, csv, sim);
  assert.equal(run.code, 1, run.stderr);
  assert.deepEqual(
    readResults(join(dir, "in.results.csv")).map((r) => r.status),
    ["invalid", "invalid", "invalid", "succeeded", "invalid", "invalid", "invalid", "invalid", "invalid"],
  );
  assert.equal(sim.stats.uploadedSha256.length, 1);
  assert.equal(sim.stats.submissions, 1);
});

test("failed uploads (5xx, dropped connections) are retried; one that keeps failing leaves only its row unsubmitted", {
  timeout: 120_000,
}, async (t) => {
  const dir = tempDir(t);
  const sim = await simFor(t, { faults: { upload5xxRate: 1 } });
  writeFrame(dir, "frames/cat.png", pngBytes(640, 360));
  copyFileSync(PHOTO_JPG, join(dir, "frames", "photo.jpg"));
  const csv = writeCsv(
    dir,
    "in.csv",
    "prompt,image_url\nA cat,frames/cat.png\nA photo,frames/photo.jpg\nNo frame,\n",
  );
  const run = await runBatchCli(dir, csv, sim);
  assert.notEqual(run.code, 0);
  const rows = readResults(join(dir, "in.results.csv"));
  assert.deepEqual(
    rows.map((r) => r.status),
    ["pending", "pending", "succeeded"],
  );
  assert.match(rows[0]?.error ?? "", /could not be uploaded to kie: .*; it will be tried on the next run/);
  assert.equal(sim.stats.submissions, 1, "no row without its frame was submitted");
  assert.ok(counter(sim, "kie.upload.500") >= 6, "each upload was tried more than once");
  assert.equal(queryLedger(ledgerPathFor(dir), "SELECT * FROM uploads").length, 0);

  // Flaky now: half the uploads fail, half of the rest lose their answer; the next run gets there.
  sim.update({ faults: { upload5xxRate: 0.3, uploadDropRate: 0.3 } });
  const again = await runBatchCli(dir, csv, sim);
  assert.equal(again.code, 0, again.stderr);
  assert.deepEqual(
    readResults(join(dir, "in.results.csv")).map((r) => r.status),
    ["succeeded", "succeeded", "succeeded"],
  );
  assert.equal(sim.stats.submissions, 3, "each row paid once");
});

test("share links: a Google Drive or Dropbox share page is sent as its direct-download form; a OneDrive page is refused", {
  timeout: 120_000,
}, async (t) => {
  const dir = tempDir(t);
  const sim = await simFor(t);
  const csv = writeCsv(
    dir,
    "in.csv",
    `prompt,image_url
Drive,https://drive.google.com/file/d/1AbCdEfGhIjKlMnOp_qr-st/view?usp=sharing
Dropbox,https://www.dropbox.com/scl/fi/abc123/cat.png?rlkey=k9&dl=0
OneDrive,https://1drv.ms/i/s!AbCdEf
`,
  );
  const run = await runBatchCli(dir, csv, sim);
  assert.equal(run.code, 1, run.stderr);
  assert.match(
    run.stderr,
    /line 4, column image_url: .*OneDrive share page, not an image; download the file/,
  );
  assert.match(run.stderr, /2 share link\(s\) point at a web page/);
  const images = sentImages(ledgerPathFor(dir));
  assert.deepEqual(images.get("Drive"), [
    "https://drive.google.com/uc?export=download&id=1AbCdEfGhIjKlMnOp_qr-st",
  ]);
  assert.deepEqual(images.get("Dropbox"), ["https://www.dropbox.com/scl/fi/abc123/cat.png?rlkey=k9&dl=1"]);
});

test("a frame edited after the run checked it is not sent as it was checked, uploaded or not: the row waits, the next run checks it anew", {
  timeout: 120_000,
}, async (t) => {
  const dir = tempDir(t);
  const sim = await simFor(t);
  writeFrame(dir, "frames/a.png", pngBytes(640, 360));
  writeFrame(dir, "frames/b.png", pngBytes(640, 360, { shade: 10 }));
  const csv = writeCsv(
    dir,
    "in.csv",
    "prompt,image_url\nFirst,frames/a.png\nSecond,frames/a.png\nThird,frames/b.png\n",
  );
  assert.equal((await runBatchCli(dir, csv, sim, ["--limit", "1"])).code, 3, "two rows left for later");
  assert.equal(sim.stats.uploadedSha256.length, 1, "a.png uploaded");
  // The sheet is unchanged (its rows are not read again), but both frames are not: a.png's upload
  // is recorded and still fresh, and it is no longer what the file holds.
  const a = writeFrame(dir, "frames/a.png", pngBytes(800, 450, { shade: 200 }));
  const b = writeFrame(dir, "frames/b.png", pngBytes(800, 450, { shade: 90 }));
  const run = await runBatchCli(dir, csv, sim);
  assert.equal(run.code, 3, run.stderr);
  const rows = readResults(join(dir, "in.results.csv"));
  assert.deepEqual(
    rows.map((r) => r.status),
    ["succeeded", "pending", "pending"],
  );
  assert.match(
    rows[1]?.error ?? "",
    /frames\/a\.png changed or went missing since it was checked; run again/,
  );
  assert.match(
    rows[2]?.error ?? "",
    /frames\/b\.png changed or went missing since it was checked; run again/,
  );
  assert.equal(sim.stats.submissions, 1);
  assert.equal(sim.stats.uploadedSha256.length, 1, "the old upload was not used, nothing new uploaded");
  const again = await runBatchCli(dir, csv, sim);
  assert.equal(again.code, 0, again.stderr);
  assert.deepEqual(
    readResults(join(dir, "in.results.csv")).map((r) => r.status),
    ["succeeded", "succeeded", "succeeded"],
  );
  assert.deepEqual(
    sim.stats.uploadedSha256.slice(1).sort(),
    [sha256(a), sha256(b)].sort(),
    "the files as they are now",
  );
  assert.equal(sim.stats.submissions, 3);
});

test("a batch folder moved elsewhere resumes with its frames at their new place: no row is said to have changed, the report shows the frames", {
  timeout: 120_000,
}, async (t) => {
  const root = tempDir(t);
  const sim = await simFor(t);
  const first = join(root, "first");
  writeFrame(first, "frames/cat #1.png", pngBytes(640, 360));
  writeCsv(first, "in.csv", "prompt,image_url\nA cat,frames/cat #1.png\nA dog,\n");
  assert.equal((await runBatchCli(first, join(first, "in.csv"), sim, ["--limit", "1"])).code, 3);
  const moved = join(root, "moved");
  renameSync(first, moved);
  const csv = join(moved, "in.csv");
  appendFileSync(csv, "The cat again,frames/cat #1.png\n");
  const run = await runBatchCli(moved, csv, sim);
  assert.equal(run.code, 0, run.stderr);
  assert.doesNotMatch(run.stderr, /changed since it was submitted/);
  assert.equal(sim.stats.uploadedSha256.length, 1, "the same file: its upload is reused");
  assert.equal(sim.stats.submissions, 3, "each row paid once");
  const specs = queryLedger<{ spec_json: string }>(ledgerPathFor(moved), "SELECT spec_json FROM jobs");
  assert.ok(
    specs.every((s) => !s.spec_json.includes("/first/")),
    "the ledger names the frames where they are now",
  );
  const cards = reportData(join(moved, "in.report.html")).cards;
  assert.deepEqual(cards[0]?.frames, [{ href: "frames/cat%20%231.png", label: "source image" }]);
});

test("--upload-base-url sends uploads to another host than the API; plain http to another machine is refused", {
  timeout: 120_000,
}, async (t) => {
  const dir = tempDir(t);
  const api = await simFor(t);
  const uploads = await simFor(t);
  writeFrame(dir, "frames/a.png", pngBytes(640, 360));
  const csv = writeCsv(dir, "in.csv", "prompt,image_url\nA cat,frames/a.png\n");
  const run = await runBatchCli(dir, csv, api, ["--upload-base-url", uploads.url]);
  assert.equal(run.code, 0, run.stderr);
  assert.equal(counter(uploads, "kie.uploads"), 1);
  assert.equal(counter(api, "kie.uploads"), 0);
  const refused = await runBatchCli(dir, csv, api, ["--upload-base-url", "http://uploads.example.com"]);
  assert.equal(refused.code, 2);
  assert.match(
    refused.stderr,
    /--upload-base-url http:\/\/uploads\.example\.com is plain http to another machine/,
  );
});

test("an input read from a URL takes local frames relative to the current folder; a pipe or a folder is refused, not waited on", {
  timeout: 120_000,
}, async (t) => {
  const dir = tempDir(t);
  const sim = await simFor(t);
  writeFrame(dir, "frames/cat.png", pngBytes(640, 360));
  mkdirSync(join(dir, "frames", "folder.png"));
  execFileSync("mkfifo", [join(dir, "frames", "pipe.png")]);
  const sheet =
    "prompt,image_url\nA cat,frames/cat.png\nA pipe,frames/pipe.png\nA folder,frames/folder.png\n";
  const server = createServer((_req, res) => res.writeHead(200, { "content-type": "text/csv" }).end(sheet));
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  t.after(() => new Promise<void>((resolve) => server.close(() => resolve())));
  const url = `http://127.0.0.1:${(server.address() as { port: number }).port}/batch.csv`;
  const run = await runCli(runArgs(url, sim), { cwd: dir, env: { KIE_API_KEY: KEY } });
  assert.equal(run.code, 1, run.stderr);
  assert.match(run.stderr, /line 3, column image_url: frames\/pipe\.png is not a regular file/);
  assert.match(run.stderr, /line 4, column image_url: frames\/folder\.png is a folder/);
  assert.deepEqual(
    readResults(join(dir, "batch.results.csv")).map((r) => r.status),
    ["succeeded", "invalid", "invalid"],
  );
  assert.equal(sim.stats.uploadedSha256.length, 1);
});
