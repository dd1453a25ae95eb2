import assert from "node:assert/strict";
import { join } from "node:path";
import Database from "better-sqlite3";
import { KLING_ENV, runArgs, simFor } from "../helpers/batch.js";
import { runCli, startCli } from "../helpers/cli.js";
import {
  ledgerCount,
  numberedPrompts,
  readResults,
  tempDir,
  waitFor,
  writeCsv,
} from "../helpers/fixtures.js";
import { test } from "../helpers/leaks.js";
import { BETWEEN_CREATES, LOCK_PROVIDERS, STALE } from "../helpers/lock-providers.js";

for (const provider of LOCK_PROVIDERS)
  test(`${provider.name}: a run whose lock is taken while it runs (no clock involved) stops: no new intent, no create`, {
    timeout: 60_000,
  }, async (t) => {
    const dir = tempDir(t);
    const sim = await simFor(t, { genTimeMs: 800, genJitter: 0, ...provider.sim });
    const csv = writeCsv(dir, "in.csv", numberedPrompts(10, `Taken over ${provider.name}`));
    const ledger = join(dir, "in.ledger.db");
    const run = startCli([...provider.args(csv, sim), "--concurrency", "2"], { cwd: dir, env: provider.env });
    await waitFor(() => ledgerCount(ledger, BETWEEN_CREATES) >= 2, "two tasks generating");
    // Another run's token, written the way a taking-over run writes it: the heartbeat stays fresh,
    // so nothing here depends on time having passed.
    const db = new Database(ledger);
    let intents = -1;
    try {
      db.transaction(() => {
        db.prepare(
          "UPDATE run_lock SET token = 'someone-else', pid = 1, host = 'elsewhere', heartbeat_at = ? WHERE id = 1",
        ).run(new Date().toISOString());
        intents = (db.prepare("SELECT COUNT(*) AS n FROM tasks").get() as { n: number }).n;
      }).immediate();
    } finally {
      db.close();
    }
    const creates = sim.stats.submissions;
    const done = await run.done;
    assert.equal(done.code, 3, done.stderr);
    assert.match(done.stderr, /\[LEDGER_TAKEN_OVER\].*took over the ledger/);
    assert.equal(sim.stats.submissions, creates, "no create after the takeover");
    assert.equal(ledgerCount(ledger, "SELECT COUNT(*) AS n FROM tasks"), intents, "no intent after it");
    assert.equal(
      ledgerCount(ledger, "SELECT COUNT(*) AS n FROM run_lock WHERE token = 'someone-else'"),
      1,
      "the other run's lock is left in place",
    );
    // The run's own record says how it ended: resumable, not a bug.
    assert.equal(ledgerCount(ledger, "SELECT exit_code AS n FROM runs ORDER BY id DESC LIMIT 1"), 3);
  });

test("kling: a run taken over while its create is still on the wire: the new run does not take 'not found' as 'not created' (never paid twice)", {
  timeout: 90_000,
}, async (t) => {
  const dir = tempDir(t);
  // The create spends 8 s on the wire before Kling sees it; the documented lookup finds nothing
  // meanwhile (and the query form, asked too, finds nothing either: no task exists yet). The window
  // is wide so that the second run looks inside it even on a machine busy with other tests.
  const sim = await simFor(t, { genTimeMs: 300, createArrivalDelayMs: 8000 });
  const csv = writeCsv(dir, "in.csv", "prompt\nA create still on the wire\n");
  const ledger = join(dir, "in.ledger.db");
  const env = { ...KLING_ENV, ...STALE };
  const args = runArgs(csv, sim, ["--provider", "kling"]);
  const first = startCli(args, { cwd: dir, env });
  await waitFor(
    () => ledgerCount(ledger, "SELECT COUNT(*) AS n FROM tasks WHERE state = 'submitting'") === 1,
    "the create on the wire",
  );
  first.child.kill("SIGSTOP");
  let second: Awaited<ReturnType<typeof runCli>>;
  try {
    await new Promise((resolve) => setTimeout(resolve, 1500));
    second = await runCli(args, { cwd: dir, env });
  } finally {
    first.child.kill("SIGCONT");
  }
  assert.equal(second.code, 1, second.stderr);
  assert.match(
    second.stderr,
    /the run that held the ledger before may still be sending this row's create; marked unknown/,
  );
  await first.done;
  assert.equal(sim.stats.submissions, 1, "the row was created once");
  // The next run finds the task the first run's create made, and collects it.
  const third = await runCli(args, { cwd: dir, env: KLING_ENV });
  assert.equal(third.code, 0, third.stderr);
  assert.equal(sim.stats.submissions, 1);
  assert.equal(readResults(join(dir, "in.results.csv"))[0]?.status, "succeeded");
});
