import assert from "node:assert/strict";
import { join } from "node:path";
import { sampleVideo } from "../../src/simulator/sample-video.js";
import { isCompleteVideo, runWireflowCli, simFor } from "../helpers/batch.js";
import {
  numberedPrompts,
  queryLedger,
  readResults,
  statusCounts,
  tempDir,
  writeCsv,
} from "../helpers/fixtures.js";
import { test } from "../helpers/leaks.js";

/** The simulator's "minute" is 2 s here, and the client is told so. */
const FAST = ["--submit-rate", "10/2s", "--status-rate", "50/2s"];

test("wireflow: every documented result shape downloads, and each run's actual credits become its charge", {
  timeout: 120_000,
}, async (t) => {
  const dir = tempDir(t);
  const sim = await simFor(t, { wireflow: { windowMs: 2_000 } });
  // Eight runs meet all four answer shapes (nodeRuns with and without finalOutput, nodeStates,
  // nodeOutputs with lowercase statuses), each with and without the data wrapper.
  const csv = writeCsv(
    dir,
    "in.csv",
    `prompt,character\n${Array.from({ length: 8 }, (_, i) => `Scene ${i + 1},A fox`).join("\n")}\n`,
  );
  const run = await runWireflowCli(dir, csv, sim, FAST, { workflow: "wf-character-story" });
  assert.equal(run.code, 0, run.stderr);
  assert.match(
    run.stderr,
    /wireflow limits: 60 requests a minute reported by Wireflow \(pro plan: 1000 executions a day\)/,
  );
  const rows = readResults(join(dir, "in.results.csv"));
  assert.equal(rows.length, 8);
  for (const row of rows) {
    assert.equal(row.status, "succeeded", row.error);
    assert.ok(isCompleteVideo(join(dir, row.video_path as string), sampleVideo()));
    // The run used 30 credits (the estimate said 35): its charge is in credits, whose USD price
    // Wireflow does not document, so its cost is unknown (the estimate's $0.70 is the upstream cost).
    assert.equal(row.cost_usd, "unknown");
  }
  const tasks = queryLedger<{ charged_credits: number; estimated_credits: number }>(
    join(dir, "in.ledger.db"),
    "SELECT charged_credits, estimated_credits FROM tasks",
  );
  assert.deepEqual(
    new Set(tasks.map((t) => [t.estimated_credits, t.charged_credits].join("→"))),
    new Set(["35→30"]),
  );
  assert.equal(sim.stats.counters.get("wireflow.details"), 8, "one details call per finished execution");
});

test("wireflow: a CDN that refuses direct downloads (HTTP 403) is bypassed through the documented download proxy, with no key sent", {
  timeout: 120_000,
}, async (t) => {
  const dir = tempDir(t);
  const sim = await simFor(t, { wireflow: { cdnBlocksDirect: true, windowMs: 2_000 } });
  const csv = writeCsv(dir, "in.csv", numberedPrompts(3, "A lake"));
  const run = await runWireflowCli(dir, csv, sim, FAST);
  assert.equal(run.code, 0, run.stderr);
  assert.deepEqual(statusCounts(readResults(join(dir, "in.results.csv")), "succeeded"), [3]);
  assert.equal(sim.stats.counters.get("files.403"), 3);
  assert.equal(sim.stats.counters.get("wireflow.download-proxy"), 3);
  for (const row of readResults(join(dir, "in.results.csv")))
    assert.ok(isCompleteVideo(join(dir, row.video_path as string), sampleVideo()));
  // The ledger keeps the CDN URL, not the proxy's.
  const urls = queryLedger<{ video_url: string }>(join(dir, "in.ledger.db"), "SELECT video_url FROM tasks");
  for (const { video_url } of urls) assert.match(video_url, /\/files\/exec_[0-9a-f]+\.mp4$/);
});

test("wireflow: the daily execution cap stops submitting with exit 3 and says when it resets; --plan sets the pace", {
  timeout: 120_000,
}, async (t) => {
  const dir = tempDir(t);
  const sim = await simFor(t, { wireflow: { dailyExecutions: 3, windowMs: 2_000 } });
  const csv = writeCsv(dir, "in.csv", numberedPrompts(6, "A river"));
  const run = await runWireflowCli(dir, csv, sim, ["--plan", "free", "--concurrency", "1", ...FAST]);
  assert.equal(run.code, 3, run.stderr);
  assert.match(
    run.stderr,
    /wireflow limits: free plan \(--plan\): 10 requests a minute, 50 executions a day/,
  );
  assert.match(
    run.stderr,
    /Wireflow's daily execution limit is reached \(Daily execution limit reached \(3 per day on your plan\)\. Resets at midnight UTC\. \(request [0-9a-f-]+\)\); it resets at \d{4}-\d\d-\d\dT00:00:00Z/,
  );
  assert.equal(
    sim.stats.counters.get("wireflow.run.daily-429"),
    1,
    "one refusal, then no more runs are sent",
  );
  assert.deepEqual(statusCounts(readResults(join(dir, "in.results.csv")), "succeeded", "pending"), [3, 3]);
});
