import assert from "node:assert/strict";
import { join } from "node:path";
import { sampleVideo } from "../../src/simulator/sample-video.js";
import type { Simulator } from "../../src/simulator/simulator.js";
import { isCompleteVideo, KLING_ENV, runBatchCli, runKlingCli, simFor } from "../helpers/batch.js";
import { numberedPrompts, readResults, statusCounts, tempDir, writeCsv } from "../helpers/fixtures.js";
import { test } from "../helpers/leaks.js";

const KIE_WEBHOOK_KEY = "kie-webhook-hmac-key-replayed-41";
const KLING_WEBHOOK_SECRET = `whsec_${Buffer.alloc(32, 9).toString("base64")}`;
const LISTEN = ["--listen", "0", "--callback-poll", "60", "--json"];
const counter = (sim: Simulator, name: string) => sim.stats.counters.get(name) ?? 0;

function assertRealVideos(dir: string, n: number): void {
  const rows = readResults(join(dir, "in.results.csv"));
  assert.deepEqual(statusCounts(rows, "succeeded", "failed"), [n, 0], "no row took a forged outcome");
  for (const row of rows) {
    assert.ok(isCompleteVideo(join(dir, row.video_path as string), sampleVideo()), "the task's own video");
    assert.ok(!row.video_url?.includes("f".repeat(32)), "not the forged URL");
  }
}

for (const outcome of ["success", "fail"] as const) {
  test(`kie: a validly signed but forged callback (a replayed signature) claiming ${outcome} decides nothing`, {
    timeout: 90_000,
  }, async (t) => {
    const dir = tempDir(t);
    const csv = writeCsv(dir, "in.csv", numberedPrompts(4, `Replayed ${outcome}`));
    // Each task gets a forgery halfway through its generation, signed with the right key.
    const sim = await simFor(t, {
      genTimeMs: 1200,
      genJitter: 0,
      callbacks: {
        forgeRate: 1,
        forgeSigning: "replayed",
        forgeOutcome: outcome,
        kieWebhookKey: KIE_WEBHOOK_KEY,
      },
    });
    const r = await runBatchCli(dir, csv, sim, LISTEN, { KIE_WEBHOOK_KEY });
    assert.equal(r.code, 0, r.stderr);
    assert.equal(counter(sim, "callbacks.forged"), 4);
    assert.equal(counter(sim, "callbacks.answered.401"), 0, "the replayed signature verifies");
    assertRealVideos(dir, 4);
    // Each forgery woke its task, whose status call said "still generating"; the real callback then
    // woke it again: up to two status calls a task, the price of a signature that does not cover the
    // body (one, when the real callback comes while the forgery's check is still waiting its turn).
    const statusCalls = counter(sim, "kie.status");
    assert.ok(statusCalls >= 4 && statusCalls <= 8, `${statusCalls} status calls for 4 tasks`);
    assert.equal(sim.stats.submissions, 4);
  });
}

test("kling: a replayed Standard-Webhooks signature over a forged body is refused (it covers the body)", {
  timeout: 90_000,
}, async (t) => {
  const dir = tempDir(t);
  const csv = writeCsv(dir, "in.csv", numberedPrompts(4, "Replayed on Kling"));
  const sim = await simFor(t, {
    genTimeMs: 800,
    genJitter: 0,
    callbacks: {
      forgeRate: 1,
      forgeSigning: "replayed",
      forgeOutcome: "fail",
      klingWebhookSecret: KLING_WEBHOOK_SECRET,
    },
  });
  const r = await runKlingCli(dir, csv, sim, LISTEN, { ...KLING_ENV, KLING_WEBHOOK_SECRET });
  assert.equal(r.code, 0, r.stderr);
  assert.equal(counter(sim, "callbacks.answered.401"), 4);
  assertRealVideos(dir, 4);
  assert.equal(counter(sim, "kling.status"), 0, "a signature over the whole body decides: no status call");
});
