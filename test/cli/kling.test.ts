import assert from "node:assert/strict";
import { join } from "node:path";
import { sampleVideo } from "../../src/simulator/sample-video.js";
import { isCompleteVideo, KLING_ENV, runKlingCli, simFor, submittedOnceEach } from "../helpers/batch.js";
import {
  numberedPrompts,
  queryLedger,
  readResults,
  statusCounts,
  tempDir,
  writeCsv,
} from "../helpers/fixtures.js";
import { test } from "../helpers/leaks.js";

const IMG = "https://static.aiquickdraw.com/tools/example/1764851002741_i0lEiI8I.png";
const END = "https://static.aiquickdraw.com/tools/example/end-frame.png";

const MIXED = `id,prompt,image_url,end_image_url,duration,sound,mode,negative_prompt
calm,"A calm lake at dawn, mist rising",,,5,no,,blur
loud,"A chef shouts ""Service!""",,,5,yes,,
frames,The flower opens,${IMG},${END},10,no,,
blocked,A scene [fail] that moderation rejects,,,5,no,,
std-sound,A drummer plays,,,5,yes,std,
long,${"x".repeat(2501)},,,5,no,,
`;

test("kling: a mixed batch follows the documented rules, prices and statuses; one JWT serves the run", {
  timeout: 120_000,
}, async (t) => {
  const dir = tempDir(t);
  const sim = await simFor(t);
  const csv = writeCsv(dir, "in.csv", MIXED);
  const run = await runKlingCli(dir, csv, sim);
  assert.equal(run.code, 1, run.stderr);

  const rows = readResults(join(dir, "in.results.csv"));
  assert.deepEqual(
    rows.map((r) => [r.id, r.status, r.cost_usd]),
    [
      ["calm", "succeeded", "0.21"],
      ["loud", "succeeded", "0.70"],
      ["frames", "succeeded", "0.70"],
      ["blocked", "failed", "0"],
      ["std-sound", "invalid", "0"],
      ["long", "invalid", "0"],
    ],
  );
  assert.match(rows[3]?.error ?? "", /Content moderation review failed\./);
  assert.match(
    rows[4]?.error ?? "",
    /line 6, column mode: Kling 2\.6 \(kling-v2-6\) makes sound only in pro mode/,
  );
  assert.match(
    rows[5]?.error ?? "",
    /line 7, column prompt: the prompt has 2501 characters; Kling allows at most 2500/,
  );
  for (const r of rows.slice(0, 3)) {
    assert.match(r.task_id ?? "", /^\d+$/);
    assert.ok(isCompleteVideo(join(dir, r.video_path as string), sampleVideo()));
  }

  const tasks = queryLedger<{
    external_id: string;
    request_json: string;
    charged_credits: number | null;
    task_id: string;
    video_id: string | null;
  }>(
    join(dir, "in.ledger.db"),
    "SELECT external_id, request_json, charged_credits, task_id, video_id FROM tasks ORDER BY id",
  );
  assert.equal(tasks.length, 4);
  // Each finished video's own id is kept (extending a clip needs it); the failed task has none.
  assert.deepEqual(
    tasks.map((task) => task.video_id),
    [...tasks.slice(0, 3).map((task) => `v${task.task_id}`), null],
  );
  for (const task of tasks) assert.equal(JSON.parse(task.request_json).external_task_id, task.external_id);
  const bodies = tasks.map((task) => JSON.parse(task.request_json));
  assert.deepEqual(
    bodies.map((b) => [b.model_name, b.mode, b.sound, b.duration, b.aspect_ratio, b.image_tail]),
    [
      ["kling-v2-6", "std", "off", "5", "16:9", undefined],
      ["kling-v2-6", "pro", "on", "5", "16:9", undefined],
      ["kling-v2-6", "pro", "off", "10", undefined, END],
      ["kling-v2-6", "std", "off", "5", "16:9", undefined],
    ],
  );
  assert.equal(bodies[0].negative_prompt, "blur");
  // The unit deduction Kling reports is recorded: 1.5, 5 and 5 units, nothing for the failed task.
  assert.deepEqual(
    tasks.map((task) => task.charged_credits),
    [1.5, 5, 5, 0],
  );
  assert.equal(sim.stats.counters.get("kling.tokens"), 1, "the signed token is cached for the whole run");

  const secrets = Object.values(KLING_ENV);
  const ledgerText = JSON.stringify(queryLedger(join(dir, "in.ledger.db"), "SELECT * FROM tasks"));
  for (const secret of secrets) {
    assert.ok(!run.stderr.includes(secret) && !run.stdout.includes(secret));
    assert.ok(!ledgerText.includes(secret));
  }

  const before = sim.stats.counters.get("requests");
  const again = await runKlingCli(dir, csv, sim);
  assert.equal(again.code, 1);
  assert.equal(sim.stats.counters.get("requests"), before, "a finished batch makes no request");
});

test("kling: a rejected key pair stops before anything is submitted (exit 2); a missing one is a usage error", {
  timeout: 60_000,
}, async (t) => {
  const dir = tempDir(t);
  const sim = await simFor(t);
  const csv = writeCsv(dir, "in.csv", "prompt\nA lake\n");
  const wrong = await runKlingCli(dir, csv, sim, [], { ...KLING_ENV, KLING_SECRET_KEY: "not-the-secret" });
  assert.equal(wrong.code, 2, wrong.stderr);
  assert.match(wrong.stderr, /Kling error 1002: Authorization is invalid/);
  assert.ok(!wrong.stderr.includes("not-the-secret"));
  const otherAccess = await runKlingCli(dir, csv, sim, [], {
    ...KLING_ENV,
    KLING_ACCESS_KEY: "someone-else",
  });
  assert.equal(otherAccess.code, 2);
  assert.match(otherAccess.stderr, /Kling error 1000/);
  assert.equal(sim.stats.submissions, 0);
  const missing = await runKlingCli(dir, csv, sim, [], { KLING_ACCESS_KEY: "x" });
  assert.equal(missing.code, 2);
  assert.match(missing.stderr, /KLING_SECRET_KEY is not set/);
});

test("kling: an exhausted resource pack stops the run (exit 3); after a top-up the same command finishes", {
  timeout: 120_000,
}, async (t) => {
  const dir = tempDir(t);
  const sim = await simFor(t, { credits: 1.5 * 3 });
  const csv = writeCsv(dir, "in.csv", numberedPrompts(6, "Pack scene"));
  const first = await runKlingCli(dir, csv, sim, ["--concurrency", "1"]);
  assert.equal(first.code, 3, first.stderr);
  assert.match(first.stderr, /Kling error 1102/);
  const rows = readResults(join(dir, "in.results.csv"));
  assert.deepEqual(statusCounts(rows, "succeeded", "pending"), [3, 3]);
  sim.setCredits(100);
  const second = await runKlingCli(dir, csv, sim);
  assert.equal(second.code, 0, second.stderr);
  assert.equal(sim.stats.submissions, 6);
  assert.ok(submittedOnceEach(sim));
});

test("kling: 1302/1303 limits, 5000 errors and dropped answers are settled through external ids; each row paid once", {
  timeout: 180_000,
}, async (t) => {
  const dir = tempDir(t);
  const sim = await simFor(t, {
    seed: 7,
    // Long enough that the fourth create comes while three still generate, even on a busy machine.
    genTimeMs: 2500,
    kling: { concurrency: 3 },
    faults: { create429Rate: 0.2, create5xxRate: 0.2, createDropRate: 0.3, status5xxRate: 0.1 },
  });
  const csv = writeCsv(dir, "in.csv", numberedPrompts(12, "Rough seas"));
  const run = await runKlingCli(dir, csv, sim, ["--concurrency", "6"]);
  assert.equal(run.code, 0, run.stderr);
  assert.ok((sim.stats.counters.get("kling.create.dropped") ?? 0) > 0, "some answers were dropped");
  assert.ok((sim.stats.counters.get("kling.error.1303") ?? 0) > 0, "the pack's concurrency was hit");
  assert.ok((sim.stats.counters.get("kling.error.5000") ?? 0) > 0);
  assert.equal(sim.stats.submissions, 12);
  assert.ok(submittedOnceEach(sim));
  assert.ok(readResults(join(dir, "in.results.csv")).every((r) => r.status === "succeeded"));
});
