import assert from "node:assert/strict";
import { join } from "node:path";
import { runBatchCli, runWireflowCli, simFor } from "../helpers/batch.js";
import {
  numberedPrompts,
  queryLedger,
  readResults,
  statusCounts,
  tempDir,
  writeCsv,
} from "../helpers/fixtures.js";
import { test } from "../helpers/leaks.js";

const FAST = ["--submit-rate", "20/1s", "--status-rate", "100/1s"];
const FAST_SIM = { wireflow: { windowMs: 1_000, requestsPerMinute: 1000, executionsPerMinute: 100 } };

test("wireflow: --max-cost cannot price Wireflow credits (the /estimate's USD is the upstream cost): rows wait; --max-credits budgets them", {
  timeout: 90_000,
}, async (t) => {
  const dir = tempDir(t);
  const sim = await simFor(t, FAST_SIM);
  const csv = writeCsv(dir, "in.csv", numberedPrompts(5, "Budgeted in credits"));
  const byUsd = await runWireflowCli(dir, csv, sim, [...FAST, "--max-cost", "100"]);
  assert.equal(sim.stats.submissions, 0, "never priced at the upstream provider's cost or at $0");
  assert.match(
    byUsd.stderr,
    /5 row\(s\) were not submitted: their price is unknown, so --max-cost cannot cover them/,
  );
  const waiting = readResults(join(dir, "in.results.csv"));
  assert.deepEqual(statusCounts(waiting, "pending"), [5]);
  assert.match(
    waiting[0]?.error ?? "",
    /price is unknown .*Wireflow documents no USD price for its credits.*budget it with --max-credits/,
  );

  // 20 credits a run: 50 credits pay for two runs, not a third.
  const byCredits = await runWireflowCli(dir, csv, sim, [
    ...FAST,
    "--max-credits",
    "50",
    "--concurrency",
    "1",
  ]);
  assert.equal(byCredits.code, 3, byCredits.stderr);
  assert.match(
    byCredits.stderr,
    /budget reached: 40 credits spent or committed of --max-credits 50 credits, and the next row would cost 20 credits/,
  );
  assert.equal(sim.stats.submissions, 2);
  const rows = readResults(join(dir, "in.results.csv"));
  assert.deepEqual(statusCounts(rows, "succeeded", "pending"), [2, 3]);
  for (const row of rows.filter((r) => r.status === "succeeded")) assert.equal(row.cost_usd, "unknown");
  const charged = queryLedger<{ credits: number; usd: number | null }>(
    join(dir, "in.ledger.db"),
    "SELECT charged_credits AS credits, charged_usd AS usd FROM tasks",
  );
  assert.deepEqual(charged, [
    { credits: 20, usd: null },
    { credits: 20, usd: null },
  ]);
});

test("kie: a generation KIE fails on its side (failCode 500, 0 credits) is submitted again, at most twice; a content refusal (422) is final", {
  timeout: 90_000,
}, async (t) => {
  const dir = tempDir(t);
  // Every generation fails: "[fail]" ones as content policy (422), the rest as KIE's 500.
  const sim = await simFor(t, { failRate: 1 });
  const csv = writeCsv(dir, "in.csv", "id,prompt\nflaky,A harbour at dusk\nrefused,A [fail] scene\n");
  const run = await runBatchCli(dir, csv, sim);
  assert.equal(run.code, 1, run.stderr);
  assert.match(
    run.stderr,
    /kie failed it on its side \(Internal server error \(code 500\)\) and charged nothing; submitting it again/,
  );
  assert.deepEqual([...sim.stats.submissionsByPrompt.entries()].sort(), [
    ["A [fail] scene", 1],
    ["A harbour at dusk", 3],
  ]);
  const tasks = queryLedger<{ row_key: string; retryable: number; error_code: string }>(
    join(dir, "in.ledger.db"),
    "SELECT row_key, retryable, error_code FROM tasks ORDER BY id",
  );
  assert.deepEqual(
    tasks.filter((task) => task.row_key === "id:flaky").map((task) => [task.retryable, task.error_code]),
    [
      [1, "500"],
      [1, "500"],
      [1, "500"],
    ],
  );
  assert.deepEqual(
    tasks.filter((task) => task.row_key === "id:refused").map((task) => [task.retryable, task.error_code]),
    [[0, "422"]],
  );
  const rows = readResults(join(dir, "in.results.csv"));
  assert.deepEqual(
    rows.map((r) => [r.id, r.status, r.attempts]),
    [
      ["flaky", "failed", "3"],
      ["refused", "failed", "1"],
    ],
  );
  // The run suggests --retry-failed, and it does something: KIE's own failures (free, already
  // retried on their own) do not use up --max-attempts.
  // The run suggests --retry-failed for the row KIE failed on its side; the refused prompt is to edit.
  assert.match(run.stderr, /Next: Retry the 1 failed row\(s\)/);
  assert.match(run.stderr, /Next: The provider's content filter refused line 3/);
  const again = await runBatchCli(dir, csv, sim, ["--retry-failed"]);
  assert.equal(again.code, 1, again.stderr);
  assert.equal(sim.stats.submissionsByPrompt.get("A harbour at dusk"), 4, "one more try, no more free ones");
  assert.equal(sim.stats.submissionsByPrompt.get("A [fail] scene"), 2);
});
