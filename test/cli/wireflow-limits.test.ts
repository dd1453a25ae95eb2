// Wireflow's limits: credits and the per-minute request budget (split from wireflow.test.ts).
import assert from "node:assert/strict";
import { join } from "node:path";
import { runWireflowCli, simFor, submittedOnceEach } from "../helpers/batch.js";
import { numberedPrompts, readResults, statusCounts, tempDir, writeCsv } from "../helpers/fixtures.js";
import { test } from "../helpers/leaks.js";

test("wireflow: out of credits (402) stops with the numbers (exit 3); after a top-up the same command finishes", {
  timeout: 120_000,
}, async (t) => {
  const dir = tempDir(t);
  const sim = await simFor(t, { credits: 20 * 2 });
  const csv = writeCsv(dir, "in.csv", numberedPrompts(4, "Credit scene"));
  const first = await runWireflowCli(dir, csv, sim, ["--concurrency", "1"]);
  assert.equal(first.code, 3, first.stderr);
  assert.match(first.stderr, /insufficient credits: this run needs 20, the account has 0/);
  const rows = readResults(join(dir, "in.results.csv"));
  assert.deepEqual(statusCounts(rows, "succeeded", "pending"), [2, 2]);
  sim.setCredits(1000);
  const second = await runWireflowCli(dir, csv, sim);
  assert.equal(second.code, 0, second.stderr);
  assert.equal(sim.stats.submissions, 4);
  assert.ok(submittedOnceEach(sim));
});

test("wireflow: a spent request budget is waited out (X-RateLimit-*), 429/500 answers retried; each row once", {
  timeout: 180_000,
}, async (t) => {
  const dir = tempDir(t);
  // The plan's "minute" shortened to 6 s on both sides (the simulator's window, the client's limits),
  // so the budget runs out and resets within seconds rather than a minute.
  const sim = await simFor(t, {
    seed: 3,
    wireflow: { requestsPerMinute: 12, windowMs: 6_000 },
    faults: { create429Rate: 0.3, create5xxRate: 0.2, status5xxRate: 0.2 },
  });
  const csv = writeCsv(dir, "in.csv", numberedPrompts(4, "Busy scene"));
  const run = await runWireflowCli(dir, csv, sim, [
    "--concurrency",
    "4",
    "--submit-rate",
    "10/6s",
    "--status-rate",
    "1/s",
  ]);
  assert.equal(run.code, 0, run.stderr);
  assert.equal(sim.stats.submissions, 4);
  assert.ok(submittedOnceEach(sim));
  const requests = sim.stats.counters.get("requests") ?? 0;
  assert.ok(requests > 12, `the run needed more than one minute's budget (${requests} requests)`);
  // The client waits for X-RateLimit-Reset once Remaining is 0, rather than hammering into 429s.
  const refused = sim.stats.counters.get("wireflow.429") ?? 0;
  assert.equal(refused, 0, `${refused} requests were refused for the per-minute budget`);
  assert.ok(readResults(join(dir, "in.results.csv")).every((r) => r.status === "succeeded"));
});
