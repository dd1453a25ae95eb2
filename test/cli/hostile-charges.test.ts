import assert from "node:assert/strict";
import { join } from "node:path";
import { runBatchCli, runKlingCli, simFor } from "../helpers/batch.js";
import { numberedPrompts, queryLedger, readResults, tempDir, writeCsv } from "../helpers/fixtures.js";
import { assertLedgerConsistent } from "../helpers/hostile.js";
import { test } from "../helpers/leaks.js";

test("kie: a negative charge (consumeCredits -1000000) never lowers the spend --max-cost sees", {
  timeout: 60_000,
}, async (t) => {
  const dir = tempDir(t);
  const sim = await simFor(t, { reportedCharge: -1_000_000 });
  const csv = writeCsv(dir, "in.csv", numberedPrompts(10, "Negative charge"));
  // 55 credits ($0.275) a row: $1 covers three rows, whatever the provider says it charged.
  const run = await runBatchCli(dir, csv, sim, ["--max-cost", "1", "--concurrency", "1"]);
  assert.equal(run.code, 3, run.stderr);
  assert.equal(sim.stats.submissions, 3);
  assert.match(run.stderr, /reported a charge of \$-5000\.00, -1000000 credits \(below zero\); not believed/);
  assert.doesNotMatch(run.stderr, /Spent \$-/);
  assert.match(run.stderr, /Spent \$0\.83/);
  const ledger = join(dir, "in.ledger.db");
  const charged = queryLedger<{ usd: number; warning: string }>(
    ledger,
    "SELECT charged_usd AS usd, charge_warning AS warning FROM tasks",
  );
  assert.equal(charged.length, 3);
  for (const task of charged) {
    assert.equal(task.usd, 0.275);
    assert.match(task.warning, /below zero/);
  }
  // The row is flagged where the user looks: the results CSV.
  const flagged = readResults(join(dir, "in.results.csv")).filter((r) => r.status === "succeeded");
  assert.equal(flagged.length, 3);
  for (const row of flagged) assert.match(row.error as string, /not believed/);
  assertLedgerConsistent(ledger);
});

test("kling: an absurd charge (a million units) is not recorded: the task keeps its estimate and the run goes on", {
  timeout: 60_000,
}, async (t) => {
  const dir = tempDir(t);
  const sim = await simFor(t, { reportedCharge: 1_000_000 });
  const csv = writeCsv(dir, "in.csv", numberedPrompts(4, "Absurd charge"));
  const run = await runKlingCli(dir, csv, sim, ["--max-cost", "5"]);
  assert.equal(run.code, 0, run.stderr);
  assert.equal(sim.stats.submissions, 4);
  assert.match(run.stderr, /more than 3× the documented price\); not believed/);
  const tasks = queryLedger<{ usd: number; estimate: number; credits: number | null }>(
    join(dir, "in.ledger.db"),
    "SELECT charged_usd AS usd, estimated_cost_usd AS estimate, charged_credits AS credits FROM tasks",
  );
  for (const task of tasks) {
    assert.equal(task.usd, task.estimate);
    assert.notEqual(task.credits, 1_000_000);
  }
});

test("kie: a made video reported as charged nothing (consumeCredits 0) does not let --max-cost pass more rows", {
  timeout: 60_000,
}, async (t) => {
  const dir = tempDir(t);
  const sim = await simFor(t, { reportedCharge: 0 });
  const csv = writeCsv(dir, "in.csv", numberedPrompts(8, "Charged nothing"));
  const run = await runBatchCli(dir, csv, sim, ["--max-cost", "1", "--concurrency", "1"]);
  assert.equal(run.code, 3, run.stderr);
  assert.equal(sim.stats.submissions, 3, "$1 covers three $0.275 rows, whatever the provider says");
  assert.match(
    run.stderr,
    /reported a charge of \$0\.00, 0 credits \(nothing, for a video that was made\); not believed/,
  );
  assert.match(run.stderr, /Spent \$0\.83/);
});
