import assert from "node:assert/strict";
import { join } from "node:path";
import { DEFAULT_TIMINGS } from "../../src/batch/engine-settings.js";
import { runBatch } from "../../src/batch/run-batch.js";
import type { JobSpec } from "../../src/job/job-spec.js";
import { createBatchStores } from "../../src/ledger/batch-stores.js";
import { openLedger } from "../../src/ledger/open-ledger.js";
import type { Provider, TaskSnapshot } from "../../src/providers/provider.js";
import { silentLogger } from "../../src/util/logger.js";
import { tempDir } from "../helpers/fixtures.js";
import { test } from "../helpers/leaks.js";

const SPEC: JobSpec = { prompt: "p", duration: 5, aspectRatio: "16:9", sound: false, model: "kling-2.6" };

/** A provider whose status check of one task hits a bug (a plain Error, not a classified one). */
function buggyProvider(calls: { creates: number; polls: number }): Provider {
  return {
    name: "fake",
    limits: { submitRate: { max: 100, windowMs: 1000 }, statusRate: { max: 100, windowMs: 1000 } },
    unsupportedFields: [],
    secrets: [],
    frames: { rules: () => ({ who: "fake", formats: ["png"], maxBytes: 1 }) },
    checkSpec: () => [],
    estimateCost: () => ({ usd: 0.1, source: "test" }),
    buildRequest: (spec) => ({ prompt: spec.prompt }),
    async createTask() {
      calls.creates++;
      return { taskId: `t-${calls.creates}` };
    },
    async getTask({ taskId }): Promise<TaskSnapshot> {
      calls.polls++;
      if (taskId === "t-2" && calls.polls > 3) throw new TypeError("a bug in the adapter");
      return { state: "running", providerState: "generating" };
    },
  };
}

test("the first unexpected error stops every other piece of work before runBatch rejects with it", async (t) => {
  const dir = tempDir(t);
  const db = openLedger(join(dir, "l.db"));
  t.after(() => db.close());
  const stores = createBatchStores(db);
  for (let i = 1; i <= 6; i++) {
    stores.jobs.sync({
      key: `row-${i}`,
      index: i,
      line: i + 1,
      cells: [],
      specJson: JSON.stringify({ ...SPEC, prompt: `p${i}` }),
      videoName: `row-${i}`,
      error: null,
      estimatedCostUsd: 0.1,
    });
  }
  const calls = { creates: 0, polls: 0 };
  const stop = new AbortController();
  await assert.rejects(
    runBatch({
      stores,
      provider: buggyProvider(calls),
      batchId: "b",
      idempotencyKeysSince: "2026-01-01T00:00:00.000Z",
      settings: {
        concurrency: 3,
        pollIntervalMs: 5,
        taskTimeoutMs: 60_000,
        videosDir: join(dir, "videos"),
        maxVideoBytes: 1 << 20,
        downloadStallMs: 30_000,
        downloadConcurrency: 1,
        allowUnknownPrice: false,
        resubmitUnknown: false,
        timings: DEFAULT_TIMINGS,
      },
      stopSignal: stop.signal,
      log: silentLogger,
    }),
    /a bug in the adapter/,
  );
  // Everything had settled when it rejected: no poll or create comes after.
  const settled = { ...calls };
  await new Promise((resolve) => setTimeout(resolve, 100));
  assert.deepEqual(calls, settled, "no work goes on after runBatch rejected");
  assert.equal(calls.creates, 3, "no new submission after the fault (three slots were full)");
  // The ledger is consistent: every created task is recorded running, nothing is left mid-submit.
  const states = stores.tasks.countByState();
  assert.deepEqual(states, { running: 3 });
  assert.equal(stores.jobs.statusOf("row-4"), "pending");
  assert.equal(stop.signal.aborted, false, "the user's stop signal is not touched");
});
