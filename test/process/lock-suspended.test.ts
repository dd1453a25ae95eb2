// A run suspended (SIGSTOP) past its lock: split from lock-fencing.test.ts so the two run side by side.
import assert from "node:assert/strict";
import { join } from "node:path";
import { simFor } from "../helpers/batch.js";
import { startCli } from "../helpers/cli.js";
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

for (const provider of LOCK_PROVIDERS) {
  test(`${provider.name}: a run suspended past its lock (SIGSTOP) wakes up, finds another run took over, and stops without a create`, {
    timeout: 120_000,
  }, async (t) => {
    const dir = tempDir(t);
    const sim = await simFor(t, { genTimeMs: 1500, genJitter: 0, ...provider.sim });
    const csv = writeCsv(dir, "in.csv", numberedPrompts(8, `Suspended ${provider.name}`));
    const ledger = join(dir, "in.ledger.db");
    const env = { ...provider.env, ...STALE };
    const first = startCli([...provider.args(csv, sim), "--concurrency", "2"], { cwd: dir, env });
    await waitFor(() => ledgerCount(ledger, BETWEEN_CREATES) >= 2, "two tasks generating");
    first.child.kill("SIGSTOP");
    let second: ReturnType<typeof startCli>;
    try {
      // Past the stale window: the suspended run's heartbeat is old, so the second run takes over.
      await new Promise((resolve) => setTimeout(resolve, 1500));
      const before = sim.stats.submissions;
      second = startCli([...provider.args(csv, sim), "--concurrency", "2"], { cwd: dir, env });
      // The suspended run wakes while the second one is submitting: the worst moment.
      await waitFor(() => sim.stats.submissions > before, "the second run submitting");
    } finally {
      first.child.kill("SIGCONT");
    }
    const taken = await second.done;
    assert.equal(taken.code, 0, taken.stderr);
    const woken = await first.done;
    assert.equal(woken.code, 3, woken.stderr);
    assert.match(woken.stderr, /another vidbatch run .*took over the ledger/);
    assert.equal(sim.stats.submissions, 8, "each row was created once");
    for (const [prompt, n] of sim.stats.submissionsByPrompt) assert.equal(n, 1, `${prompt}: ${n} creates`);
    const rows = readResults(join(dir, "in.results.csv"));
    assert.deepEqual(
      rows.map((r) => r.status),
      Array(8).fill("succeeded"),
    );
  });
}
