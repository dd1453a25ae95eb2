import assert from "node:assert/strict";
import { readdirSync } from "node:fs";
import { runVideoBatch } from "../../src/index.js";
import { KEY, KLING_ENV, simFor, WIREFLOW_ENV } from "../helpers/batch.js";
import { numberedPrompts, readResults, tempDir, writeCsv } from "../helpers/fixtures.js";
import { test } from "../helpers/leaks.js";

// The library on each provider's simulated API, with faults injected: the same call, the same report.
const FAST = { pollIntervalMs: 50, taskTimeoutMs: 120_000, timings: { retryBaseMs: 50, retryCapMs: 500 } };
const FAULTS = { faults: { create429Rate: 0.2, create5xxRate: 0.2, status5xxRate: 0.2 }, seed: 11 };

const PROVIDERS = [
  {
    provider: "kie",
    env: { KIE_API_KEY: KEY },
    base: (url: string) => url,
    extra: { submitRate: { max: 20, windowMs: 1000 } },
  },
  { provider: "kling", env: KLING_ENV, base: (url: string) => url, extra: {} },
  {
    provider: "wireflow",
    env: WIREFLOW_ENV,
    base: (url: string) => `${url}/api/v1`,
    extra: {
      workflow: "wf-kling26-demo",
      submitRate: { max: 20, windowMs: 1000 },
      statusRate: { max: 50, windowMs: 1000 },
    },
    sim: { wireflow: { windowMs: 1_000, requestsPerMinute: 1000, executionsPerMinute: 100 } },
  },
] as const;

for (const p of PROVIDERS)
  test(`${p.provider}: runVideoBatch waits out 429s and 5xx and reports every row done, each paid once`, async (t) => {
    const dir = tempDir(t);
    const sim = await simFor(t, { ...FAULTS, ...("sim" in p ? p.sim : {}) });
    const csv = writeCsv(dir, "in.csv", numberedPrompts(5, `Faulty ${p.provider}`));
    const report = await runVideoBatch(
      { input: csv, provider: p.provider, baseUrl: p.base(sim.url), concurrency: 3, ...FAST, ...p.extra },
      { env: p.env },
    );
    assert.equal(report.ending, "finished", JSON.stringify(report.problems));
    assert.deepEqual(report.counts, { succeeded: 5 });
    assert.equal(report.submitted, 5);
    assert.equal(sim.stats.submissions, 5, "each row paid once");
    const faults = [...sim.stats.counters]
      .filter(([name]) => /\.(429|500|5000|1302|1303)$/.test(name))
      .reduce((n, [, count]) => n + count, 0);
    assert.ok(faults > 0, "faults were injected and waited out");
    assert.equal(readdirSync(report.paths.videosDir).length, 5);
    assert.ok(readResults(report.paths.out).every((r) => r.status === "succeeded"));
  });

test("kie: with callbacks the report counts them, and finished tasks are told, not polled", async (t) => {
  const dir = tempDir(t);
  const sim = await simFor(t, { genTimeMs: 600 });
  const csv = writeCsv(dir, "in.csv", numberedPrompts(4, "Called back"));
  const report = await runVideoBatch(
    {
      input: csv,
      baseUrl: sim.url,
      ...FAST,
      callbacks: { host: "127.0.0.1", port: 0, safetyPollMs: 60_000 },
    },
    { env: { KIE_API_KEY: KEY } },
  );
  assert.equal(report.ending, "finished");
  assert.ok((report.callbacks?.used ?? 0) >= 4, JSON.stringify(report.callbacks));
  // One status call a task confirms what an unsigned KIE callback says; no polling beyond it.
  assert.ok((sim.stats.counters.get("kie.status") ?? 0) <= 8, String(sim.stats.counters.get("kie.status")));
});
