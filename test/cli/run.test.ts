import assert from "node:assert/strict";
import { existsSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { sampleVideo } from "../../src/simulator/sample-video.js";
import { isCompleteVideo, KEY, runBatchCli, simFor } from "../helpers/batch.js";
import { runCli } from "../helpers/cli.js";
import { numberedPrompts, queryLedger, readResults, tempDir, writeCsv } from "../helpers/fixtures.js";
import { test } from "../helpers/leaks.js";

const IMG = "https://static.aiquickdraw.com/tools/example/1764851002741_i0lEiI8I.png";

const MIXED = `id,prompt,image_url,duration,sound,notes
cat,"A cat surfing, at dawn",,5,no,first
,"A chef shouts ""Service!""",,10,yes,no id
portrait,Smile at the camera,${IMG},5,no,i2v
,"Scene one.
Scene two: the sun rises.",,5,,multi-line
jp,桜の花びらが舞う,,10,no,
`;

test("a mixed batch becomes videos, a results CSV and a ledger; a re-run makes no request at all", {
  timeout: 120_000,
}, async (t) => {
  const dir = tempDir(t);
  const sim = await simFor(t);
  const csv = writeCsv(dir, "in.csv", MIXED);
  const first = await runBatchCli(dir, csv, sim, ["--json"]);
  assert.equal(first.code, 0, first.stderr);

  const rows = readResults(join(dir, "in.results.csv"));
  assert.deepEqual(Object.keys(rows[0] ?? {}), [
    "id",
    "prompt",
    "image_url",
    "duration",
    "sound",
    "notes",
    "status",
    "task_id",
    "video_path",
    "video_url",
    "cost_usd",
    "attempts",
    "error",
    "model",
    "submitted_at",
    "finished_at",
    "generation_seconds",
  ]);
  assert.equal(rows.length, 5);
  // GNU parallel's joblog, per row: the model it ran on, when it went and ended (UTC), how long it took.
  for (const r of rows) {
    assert.equal(r.model, "kling-2.6");
    assert.match(r.submitted_at ?? "", /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    assert.ok((r.finished_at ?? "") >= (r.submitted_at ?? ""), "ends after it starts");
    const seconds = Number(r.generation_seconds);
    const measured = (Date.parse(r.finished_at ?? "") - Date.parse(r.submitted_at ?? "")) / 1000;
    assert.ok(Math.abs(seconds - measured) <= 0.05, `${r.generation_seconds} s is the gap, to the tenth`);
  }
  assert.deepEqual(
    rows.map((r) => r.status),
    ["succeeded", "succeeded", "succeeded", "succeeded", "succeeded"],
  );
  assert.equal(rows[3]?.prompt, "Scene one.\nScene two: the sun rises.");
  assert.deepEqual(
    rows.map((r) => r.cost_usd),
    ["0.275", "1.10", "0.275", "0.275", "0.55"],
  );
  assert.ok(rows.every((r) => r.attempts === "1" && /^[0-9a-f]{32}$/.test(r.task_id ?? "")));
  assert.equal(rows[0]?.video_path, "in-videos/cat.mp4");
  assert.match(rows[1]?.video_path ?? "", /^in-videos\/row-0002-a-chef-shouts-service\.mp4$/);
  for (const r of rows)
    assert.ok(
      isCompleteVideo(join(dir, r.video_path as string), sampleVideo()),
      `${r.video_path} is the whole video`,
    );
  assert.equal(readdirSync(join(dir, "in-videos")).length, 5, "no stray temporary files");

  const summary = JSON.parse(first.stdout);
  assert.equal(summary.exitCode, 0);
  assert.equal(summary.submitted, 5);
  assert.equal(summary.spentUsd, 2.475);

  // The request bodies the ledger recorded are KIE's documented shapes.
  const requests = queryLedger<{ request_json: string }>(
    join(dir, "in.ledger.db"),
    "SELECT request_json FROM tasks ORDER BY row_key",
  );
  const bodies = requests.map((r) => JSON.parse(r.request_json));
  const i2v = bodies.find((b) => b.model === "kling-2.6/image-to-video");
  assert.deepEqual(i2v, {
    model: "kling-2.6/image-to-video",
    input: { prompt: "Smile at the camera", image_urls: [IMG], sound: false, duration: "5" },
  });
  assert.ok(
    bodies
      .filter((b) => b.model === "kling-2.6/text-to-video")
      .every((b) => typeof b.input.duration === "string" && "aspect_ratio" in b.input),
  );
  const charged = queryLedger<{ n: number }>(
    join(dir, "in.ledger.db"),
    "SELECT COUNT(*) AS n FROM tasks WHERE charged_credits IS NOT NULL",
  )[0];
  assert.equal(charged?.n, 5, "the credits KIE reports are recorded");

  for (const count of sim.stats.submissionsByPrompt.values()) assert.equal(count, 1);
  const requestsBefore = sim.stats.counters.get("requests");
  const again = await runBatchCli(dir, csv, sim);
  assert.equal(again.code, 0, again.stderr);
  assert.equal(sim.stats.submissions, 5, "no submission on re-run");
  assert.equal(sim.stats.counters.get("requests"), requestsBefore, "no request at all on re-run");
  assert.deepEqual(
    readResults(join(dir, "in.results.csv")).map((r) => r.status),
    rows.map((r) => r.status),
  );
});

test("failed generations and bad rows are reported and never stop the others", {
  timeout: 120_000,
}, async (t) => {
  const dir = tempDir(t);
  const sim = await simFor(t);
  const csv = writeCsv(
    dir,
    "in.csv",
    `prompt,duration,image_url
A good one,5,
This one is [fail] on purpose,5,
Too long,7,
,5,
Bad image,5,ftp://example.com/a.png
Another good one,10,
`,
  );
  const run = await runBatchCli(dir, csv, sim);
  assert.equal(run.code, 1, run.stderr);
  assert.match(run.stderr, /line 4, column duration: KIE's kling-2\.6 makes 5 or 10 s videos, not 7 s/);
  assert.match(run.stderr, /line 5, column prompt: the prompt is empty/);
  assert.match(run.stderr, /line 6, column image_url: .*not a web address the provider can fetch \(ftp:\)/);
  // The end summary lists the invalid rows among those that need attention, with the failed one.
  assert.match(
    run.stderr,
    /4 row\(s\) need attention:[\s\S]*- line 3: failed: [\s\S]*- line 4: invalid: line 4, column duration/,
  );
  const rows = readResults(join(dir, "in.results.csv"));
  assert.deepEqual(
    rows.map((r) => r.status),
    ["succeeded", "failed", "invalid", "invalid", "invalid", "succeeded"],
  );
  assert.match(rows[1]?.error ?? "", /prohibited content \(code 422\)/);
  assert.equal(rows[1]?.cost_usd, "0", "a failed generation costs nothing on KIE");
  assert.match(rows[2]?.error ?? "", /^line 4, column duration/);
  assert.equal(sim.stats.submissions, 3, "invalid rows are never submitted");

  // A failed row is not resubmitted on its own...
  const rerun = await runBatchCli(dir, csv, sim);
  assert.equal(rerun.code, 1);
  assert.equal(sim.stats.submissionsByPrompt.get("This one is [fail] on purpose"), 1);
  // ...only with --retry-failed, and at most --max-attempts tasks per row.
  await runBatchCli(dir, csv, sim, ["--retry-failed", "--max-attempts", "2"]);
  assert.equal(sim.stats.submissionsByPrompt.get("This one is [fail] on purpose"), 2);
  assert.equal(readResults(join(dir, "in.results.csv"))[1]?.attempts, "2");
  await runBatchCli(dir, csv, sim, ["--retry-failed", "--max-attempts", "2"]);
  assert.equal(
    sim.stats.submissionsByPrompt.get("This one is [fail] on purpose"),
    2,
    "the attempt limit holds",
  );

  // Fixing the bad rows in the CSV and re-running submits just them.
  writeCsv(
    dir,
    "in.csv",
    "prompt,duration,image_url\nA good one,5,\nThis one is [fail] on purpose,5,\nToo long,10,\n",
  );
  const fixed = await runBatchCli(dir, csv, sim);
  assert.equal(fixed.code, 1, "the failed row is still failed");
  assert.deepEqual(
    readResults(join(dir, "in.results.csv")).map((r) => r.status),
    ["succeeded", "failed", "succeeded"],
  );
  assert.equal(
    sim.stats.submissionsByPrompt.get("A good one"),
    1,
    "an unchanged row is recognised, not resubmitted",
  );
});

test("429s, 5xx and errors as HTTP 200 with a body code are waited out; each row is paid once", {
  timeout: 180_000,
}, async (t) => {
  const dir = tempDir(t);
  const sim = await simFor(t, {
    errorStyle: "mixed",
    faults: {
      create429Rate: 0.3,
      create5xxRate: 0.2,
      status5xxRate: 0.2,
      statusDropRate: 0.1,
      download5xxRate: 0.1,
    },
  });
  const csv = writeCsv(dir, "in.csv", numberedPrompts(8, "Faulty world"));
  // A 429 without Retry-After holds creates for one window of the limit: 2 s here, not KIE's 10 s.
  const run = await runBatchCli(dir, csv, sim, ["--concurrency", "4", "--submit-rate", "20/2s"]);
  assert.equal(run.code, 0, run.stderr);
  const rows = readResults(join(dir, "in.results.csv"));
  assert.ok(rows.every((r) => r.status === "succeeded"));
  assert.ok(
    (sim.stats.counters.get("kie.create.429") ?? 0) + (sim.stats.counters.get("kie.create.500") ?? 0) > 0,
    "faults were injected",
  );
  assert.equal(sim.stats.submissions, 8);
  for (const count of sim.stats.submissionsByPrompt.values()) assert.equal(count, 1);
  const rejected = queryLedger<{ n: number }>(
    join(dir, "in.ledger.db"),
    "SELECT COUNT(*) AS n FROM tasks WHERE state = 'rejected'",
  )[0];
  assert.ok((rejected?.n ?? 0) > 0, "refused creates are recorded as rejected tasks");
});

test("a rejected key stops before anything is submitted (exit 2); no key is a usage error", {
  timeout: 60_000,
}, async (t) => {
  const dir = tempDir(t);
  const sim = await simFor(t);
  const csv = writeCsv(dir, "in.csv", "prompt\nA\n");
  const wrong = await runBatchCli(dir, csv, sim, [], { KIE_API_KEY: "kie-wrong-key-123456" });
  assert.equal(wrong.code, 2);
  assert.match(wrong.stderr, /rejected the API key/);
  assert.equal(sim.stats.submissions, 0);
  const none = await runCli(["run", csv, "--base-url", sim.url], { cwd: dir });
  assert.equal(none.code, 2);
  assert.match(none.stderr, /KIE_API_KEY is not set/);
});

test("out of credits mid-run stops submitting (exit 3); after a top-up the same command finishes", {
  timeout: 120_000,
}, async (t) => {
  const dir = tempDir(t);
  const sim = await simFor(t, { credits: 55 * 3 });
  const csv = writeCsv(dir, "in.csv", numberedPrompts(6, "Budget scene"));
  const first = await runBatchCli(dir, csv, sim, ["--concurrency", "1"]);
  assert.equal(first.code, 3, first.stderr);
  assert.match(first.stderr, /KIE error 402/);
  const rows = readResults(join(dir, "in.results.csv"));
  assert.equal(rows.filter((r) => r.status === "succeeded").length, 3);
  assert.equal(rows.filter((r) => r.status === "pending").length, 3);
  sim.setCredits(10_000);
  const second = await runBatchCli(dir, csv, sim);
  assert.equal(second.code, 0, second.stderr);
  assert.equal(sim.stats.submissions, 6);
  for (const count of sim.stats.submissionsByPrompt.values()) assert.equal(count, 1);
});

test("--max-cost stops before the budget would be exceeded (exit 3), resumable with a higher budget", {
  timeout: 120_000,
}, async (t) => {
  const dir = tempDir(t);
  const sim = await simFor(t);
  const csv = writeCsv(dir, "in.csv", numberedPrompts(5, "Costly scene"));
  const first = await runBatchCli(dir, csv, sim, ["--max-cost", "0.60", "--concurrency", "5"]);
  assert.equal(first.code, 3, first.stderr);
  assert.match(first.stderr, /budget reached/);
  assert.equal(sim.stats.submissions, 2, "2 × $0.275 fit in $0.60, a third would not");
  const second = await runBatchCli(dir, csv, sim, ["--max-cost", "5"]);
  assert.equal(second.code, 0);
  assert.equal(sim.stats.submissions, 5);
});

test("--dry-run validates and estimates without a ledger or a request", { timeout: 60_000 }, async (t) => {
  const dir = tempDir(t);
  const sim = await simFor(t);
  const csv = writeCsv(dir, "in.csv", "prompt,duration,sound\nA,5,no\nB,10,yes\nC,7,no\n");
  const dry = await runBatchCli(dir, csv, sim, ["--dry-run", "--json"]);
  assert.equal(dry.code, 1, "an invalid row makes a dry run exit 1");
  const summary = JSON.parse(dry.stdout);
  assert.equal(summary.toSubmit, 2);
  assert.equal(summary.estimatedCostUsd, 1.375);
  assert.equal(summary.invalid, 1);
  assert.equal(existsSync(join(dir, "in.ledger.db")), false);
  // With a key, the one request is the balance, to say whether it covers the batch (issue 11).
  assert.equal(sim.stats.counters.get("requests") ?? 0, 1);
  assert.equal(sim.stats.submissions, 0);
  assert.match(dry.stderr, /balance: .* — covers the rows to submit/);
});

test("input without a prompt column, or empty, is a usage error before anything is sent", {
  timeout: 60_000,
}, async (t) => {
  const dir = tempDir(t);
  const sim = await simFor(t);
  const noPrompt = await runBatchCli(dir, writeCsv(dir, "a.csv", "title,duration\nx,5\n"), sim);
  assert.equal(noPrompt.code, 2);
  assert.match(noPrompt.stderr, /no prompt column \(its columns: "title", "duration"\)/);
  assert.match(noPrompt.stderr, /or point at it: --map prompt=<column> \(e\.g\. --map prompt="title"\)/);
  const empty = await runBatchCli(dir, writeCsv(dir, "b.csv", ""), sim);
  assert.equal(empty.code, 2);
  assert.match(empty.stderr, /is empty/);
  const headerOnly = await runBatchCli(dir, writeCsv(dir, "c.csv", "prompt\n"), sim);
  assert.equal(headerOnly.code, 2);
  const missing = await runBatchCli(dir, join(dir, "nope.csv"), sim);
  assert.equal(missing.code, 2);
  assert.match(missing.stderr, /does not exist/);
  assert.equal(sim.stats.counters.get("requests") ?? 0, 0);
});

test("the API key never appears in output, logs, the ledger or the results, even when a server echoes it", {
  timeout: 60_000,
}, async (t) => {
  const dir = tempDir(t);
  const secret = "kie-SECRET-7d1e0c99b2";
  // A misbehaving proxy that echoes the Authorization header in its error message.
  const { createServer } = await import("node:http");
  const server = createServer((req, res) => {
    res.writeHead(200, { "content-type": "application/json" });
    res.end(JSON.stringify({ code: 422, msg: `bad request from ${req.headers.authorization}` }));
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  t.after(() => new Promise<void>((r) => server.close(() => r())));
  const base = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
  const csv = writeCsv(dir, "in.csv", "prompt\nA lake\n");
  const run = await runCli(["run", csv, "--base-url", base, "--poll-interval", "0.05", "--json"], {
    cwd: dir,
    env: { KIE_API_KEY: secret },
  });
  assert.equal(run.code, 1, run.stderr);
  const { readFileSync } = await import("node:fs");
  const results = readFileSync(join(dir, "in.results.csv"), "utf8");
  assert.match(results, /\[redacted\]/, "the echoed key was replaced");
  for (const [name, text] of [
    ["stdout", run.stdout],
    ["stderr", run.stderr],
    ["results", results],
    [
      "ledger",
      readFileSync(join(dir, "in.ledger.db")).toString("latin1") +
        (existsSync(join(dir, "in.ledger.db-wal"))
          ? readFileSync(join(dir, "in.ledger.db-wal")).toString("latin1")
          : ""),
    ],
  ]) {
    assert.equal((text as string).includes(secret), false, `${name} holds the key`);
  }
  void KEY;
});
