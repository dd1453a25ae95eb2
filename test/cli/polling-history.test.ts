import assert from "node:assert/strict";
import { appendFileSync } from "node:fs";
import { join } from "node:path";
import { ledgerPathFor, runBatchCli, simFor } from "../helpers/batch.js";
import { numberedPrompts, queryLedger, tempDir, writeCsv } from "../helpers/fixtures.js";
import { test } from "../helpers/leaks.js";

test("generation times learned by polling are kept in the ledger, and the next run starts knowing them (--verbose says what the schedule believes)", {
  timeout: 90_000,
}, async (t) => {
  const dir = tempDir(t);
  const sim = await simFor(t, { genTimeMs: 600, genJitter: 0.1 });
  const csv = writeCsv(dir, "in.csv", numberedPrompts(6, "A pier"));
  const first = await runBatchCli(dir, csv, sim, ["--verbose"]);
  assert.equal(first.code, 0, first.stderr);
  // Learned this run: said once, when the fourth finish made the kind known.
  assert.match(
    first.stderr,
    /kling-2\.6, 5 s: generations take \d\.\d s in the median, \d\.\d s to \d\.\d s \(4 measured\)/,
  );
  const kept = queryLedger<{ kind: string; ms: number }>(
    ledgerPathFor(dir),
    "SELECT kind, ms FROM generation_times",
  );
  assert.equal(kept.length, 6, "one per finish");
  assert.ok(
    kept.every((k) => k.kind === "kie:kling-2.6|5||||" && k.ms > 0 && k.ms <= 1500),
    JSON.stringify(kept),
  );

  appendFileSync(csv, "A pier at night\n");
  const second = await runBatchCli(dir, csv, sim, ["--verbose"]);
  assert.equal(second.code, 0, second.stderr);
  assert.match(
    second.stderr,
    /from earlier runs, kling-2\.6, 5 s: generations take \d\.\d s in the median.*\(6 measured\)/,
  );
  assert.equal(queryLedger(join(dir, "in.ledger.db"), "SELECT * FROM generation_times").length, 7);
});

test("a finish heard by callback teaches the whole generation time (not half of it)", {
  timeout: 60_000,
}, async (t) => {
  const dir = tempDir(t);
  const key = "kie-webhook-hmac-key-7c1a";
  const sim = await simFor(t, { genTimeMs: 1000, genJitter: 0.05, callbacks: { kieWebhookKey: key } });
  const csv = writeCsv(dir, "in.csv", numberedPrompts(5, "A dune"));
  const run = await runBatchCli(dir, csv, sim, ["--listen", "0", "--callback-poll", "60"], {
    KIE_WEBHOOK_KEY: key,
  });
  assert.equal(run.code, 0, run.stderr);
  const kept = queryLedger<{ ms: number }>(ledgerPathFor(dir), "SELECT ms FROM generation_times");
  assert.equal(kept.length, 5);
  assert.ok(
    kept.every((k) => k.ms >= 900),
    `about a second each: ${kept.map((k) => k.ms).join(", ")}`,
  );
});
