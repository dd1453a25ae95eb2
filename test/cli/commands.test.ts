import assert from "node:assert/strict";
import { readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { KEY, runBatchCli, simFor } from "../helpers/batch.js";
import { runCli } from "../helpers/cli.js";
import { readResults, tempDir, writeCsv } from "../helpers/fixtures.js";
import { test } from "../helpers/leaks.js";
import { reportData } from "../helpers/report.js";

test("status, export and report work from the ledger alone", { timeout: 120_000 }, async (t) => {
  const dir = tempDir(t);
  const sim = await simFor(t);
  const csv = writeCsv(dir, "in.csv", 'prompt,duration\nA <b>bold</b> "fox",5\nThis one [fail]s,10\nBad,7\n');
  const run = await runBatchCli(dir, csv, sim);
  assert.equal(run.code, 1);
  const results = readFileSync(join(dir, "in.results.csv"));

  const status = await runCli(["status", "in.csv", "--json"], { cwd: dir });
  assert.equal(status.code, 0, status.stderr);
  const s = JSON.parse(status.stdout);
  assert.deepEqual(s.byStatus, { succeeded: 1, failed: 1, invalid: 1 });
  assert.equal(s.spentUsd, 0.275);
  assert.equal(s.runInProgress, null);
  const human = await runCli(["status", "in.csv"], { cwd: dir });
  assert.match(human.stdout, /Rows: 3 — 1 succeeded, 1 failed, 1 invalid/);

  rmSync(join(dir, "in.results.csv"));
  rmSync(csv); // export needs only the ledger
  const exported = await runCli(["export", "in.csv"], { cwd: dir });
  assert.equal(exported.code, 0, exported.stderr);
  assert.deepEqual(readFileSync(join(dir, "in.results.csv")), results);

  const report = await runCli(["report", "--ledger", "in.ledger.db", "--out", "gallery.html"], { cwd: dir });
  assert.equal(report.code, 0, report.stderr);
  const html = readFileSync(join(dir, "gallery.html"), "utf8");
  // The relative link, so the folder can be zipped; the prompt is data, never markup.
  const cards = reportData(html).cards;
  assert.equal(cards[0]?.video, "in-videos/row-0001-a-b-bold-b-fox.mp4");
  assert.match(cards[0]?.prompt ?? "", /<b>bold<\/b>/);
  assert.ok(!html.includes("<b>bold</b>"), "prompts are escaped in the page");
  assert.deepEqual(cards[0]?.shape, [192, 108], "the clip's own picture size");

  const missing = await runCli(["status", "other.csv"], { cwd: dir });
  assert.equal(missing.code, 2);
  assert.match(missing.stderr, /No ledger at/);
});

test("an expired result URL is refreshed through the provider", { timeout: 120_000 }, async (t) => {
  const dir = tempDir(t);
  const sim = await simFor(t, { resultUrlTtlMs: 1 });
  const csv = writeCsv(dir, "in.csv", "prompt\nExpiring link\n");
  const run = await runBatchCli(dir, csv, sim);
  assert.equal(run.code, 0, run.stderr);
  assert.ok((sim.stats.counters.get("kie.download-url") ?? 0) >= 1);
  assert.equal(readResults(join(dir, "in.results.csv"))[0]?.status, "succeeded");
});

test("a video that cannot be downloaded stays resumable (exit 3) and is fetched by the next run without a new task", {
  timeout: 120_000,
}, async (t) => {
  const dir = tempDir(t);
  const sim = await simFor(t, { faults: { download5xxRate: 1 } });
  const csv = writeCsv(dir, "in.csv", "prompt\nStubborn server\n");
  const run = await runBatchCli(dir, csv, sim);
  assert.equal(run.code, 3, run.stderr);
  const row = readResults(join(dir, "in.results.csv"))[0];
  assert.equal(row?.status, "running");
  assert.match(row?.error ?? "", /video not downloaded yet.*run again/);
  assert.equal(row?.video_path, "");
  sim.update({ faults: { download5xxRate: 0 } });
  const again = await runBatchCli(dir, csv, sim);
  assert.equal(again.code, 0, again.stderr);
  assert.equal(readResults(join(dir, "in.results.csv"))[0]?.status, "succeeded");
  assert.equal(sim.stats.submissions, 1);
});

test("usage errors exit 2 with a message", { timeout: 60_000 }, async (t) => {
  const dir = tempDir(t);
  const bad = await runCli(["run", "x.csv", "--concurrency", "0"], { cwd: dir });
  assert.equal(bad.code, 2);
  assert.match(bad.stderr, /--concurrency must be a number greater than 0/);
  const unknown = await runCli(["run", "x.csv", "--no-such-flag"], { cwd: dir });
  assert.equal(unknown.code, 2);
  const none = await runCli([], { cwd: dir });
  assert.equal(none.code, 2);
});

test("the key can come from a .env file in the working folder", { timeout: 60_000 }, async (t) => {
  const dir = tempDir(t);
  const sim = await simFor(t);
  writeCsv(dir, ".env", `# vidbatch settings\nexport KIE_API_KEY="${KEY}"\n`);
  const csv = writeCsv(dir, "in.csv", "prompt\nFrom dotenv\n");
  const run = await runCli(["run", csv, "--base-url", sim.url, "--poll-interval", "0.05"], { cwd: dir });
  assert.equal(run.code, 0, run.stderr);
  assert.equal(sim.stats.submissions, 1);
  assert.equal(run.stderr.includes(KEY), false);
});

test("an error names its stable code on stderr, and with --json is one JSON object on stdout", {
  timeout: 60_000,
}, async (t) => {
  const dir = tempDir(t);
  const missing = await runCli(["run", "nope.csv", "--json"], { cwd: dir, env: { KIE_API_KEY: KEY } });
  assert.equal(missing.code, 2);
  assert.match(
    missing.stderr,
    /^vidbatch \[INPUT_UNREADABLE\]: Cannot read the input CSV .*nope\.csv: it does not exist/,
  );
  const json = JSON.parse(missing.stdout);
  assert.equal(json.error.code, "INPUT_UNREADABLE");
  assert.equal(json.error.exitCode, 2);
  assert.match(json.error.message, /does not exist/);
  const usage = await runCli(["run", "x.csv", "--concurrency", "0", "--json"], { cwd: dir });
  assert.equal(usage.code, 2);
  assert.match(usage.stderr, /^vidbatch \[USAGE\]: --concurrency must be a number greater than 0/);
  assert.equal(JSON.parse(usage.stdout).error.code, "USAGE");
  const noKey = await runCli(["run", writeCsv(dir, "in.csv", "prompt\nA\n")], { cwd: dir });
  assert.match(noKey.stderr, /^vidbatch \[CONFIG_NO_KEY\]: KIE_API_KEY is not set/);
  assert.equal(noKey.stdout, "", "without --json, stdout stays empty");
});
