import assert from "node:assert/strict";
import { rmSync } from "node:fs";
import { join } from "node:path";
import Database from "better-sqlite3";
import { runBatchCli, simFor, startBatchCli } from "../helpers/batch.js";
import { runCli } from "../helpers/cli.js";
import {
  ledgerCount,
  numberedPrompts,
  readResults,
  statusCounts,
  tempDir,
  waitFor,
  writeCsv,
} from "../helpers/fixtures.js";
import { assertLedgerConsistent } from "../helpers/hostile.js";
import { test } from "../helpers/leaks.js";

/** Three tasks made on `first`, then a night later asked of `other`, which has no record of them. */
async function forgottenTasks(t: { after: (fn: () => Promise<void> | void) => void }, label: string) {
  const dir = tempDir(t);
  const csv = writeCsv(dir, "in.csv", numberedPrompts(3, label));
  const ledger = join(dir, "in.ledger.db");
  const first = await simFor(t, { genTimeMs: 2000, genJitter: 0 });
  const run = startBatchCli(dir, csv, first);
  await waitFor(
    () => ledgerCount(ledger, "SELECT COUNT(*) AS n FROM tasks WHERE state = 'running'") === 3,
    "three tasks generating",
  );
  run.child.kill("SIGKILL");
  await run.done;
  const db = new Database(ledger);
  db.prepare("UPDATE tasks SET submitted_at = '2026-01-01T00:00:00.000Z'").run();
  db.close();
  const other = await simFor(t);

  const second = await runBatchCli(dir, csv, other);
  assert.equal(second.code, 3, second.stderr);
  assert.match(
    second.stderr,
    /does not know task .* if the next run hears the same, the row becomes unknown/,
  );
  // A second run at once proves nothing more (an outage, a key fixed in between): still kept.
  const quick = await runBatchCli(dir, csv, other);
  assert.equal(quick.code, 3, quick.stderr);
  assert.deepEqual(statusCounts(readResults(join(dir, "in.results.csv")), "running"), [3]);
  // Ten minutes and more after it was first heard (moved back in the ledger: no clock needed).
  const moved = new Database(ledger);
  moved.prepare("UPDATE tasks SET not_found_since = '2026-01-01T00:00:00.000Z'").run();
  moved.close();
  const third = await runBatchCli(dir, csv, other);
  assert.equal(third.code, 1, third.stderr);
  assert.match(third.stderr, /kie does not know task [0-9a-f]+ \(said so on 3 run\(s\)/);
  assert.match(third.stderr, /Next: .*--resubmit-unknown/);
  assert.deepEqual(statusCounts(readResults(join(dir, "in.results.csv")), "unknown"), [3]);
  const listed = await runCli(["status", csv, "--failed"], { cwd: dir });
  assert.equal((listed.stdout.match(/said so on 3 run\(s\)/g) ?? []).length, 3, listed.stdout);
  assert.equal(other.stats.submissions, 0, "nothing was resubmitted on its own");
  return { dir, csv, ledger, first, other };
}

test("tasks the provider no longer knows become unknown after two runs ten minutes apart, and --resubmit-unknown frees them", {
  timeout: 120_000,
}, async (t) => {
  const { dir, csv, ledger, other } = await forgottenTasks(t, "Forgotten by the provider");
  const freed = await runBatchCli(dir, csv, other, ["--resubmit-unknown"]);
  assert.equal(freed.code, 0, freed.stderr);
  assert.match(freed.stderr, /may be paid twice/);
  assert.equal(other.stats.submissions, 3);
  assert.deepEqual(statusCounts(readResults(join(dir, "in.results.csv")), "succeeded"), [3]);
  assertLedgerConsistent(ledger);
});

test("tasks given up as unknown that the provider knows again are followed and collected, never paid again by --resubmit-unknown", {
  timeout: 120_000,
}, async (t) => {
  const { dir, csv, first } = await forgottenTasks(t, "Known again");
  // Back on the account that made them (the right key again): asked before anything is resubmitted.
  const back = await runBatchCli(dir, csv, first, ["--resubmit-unknown"]);
  assert.equal(back.code, 0, back.stderr);
  assert.match(back.stderr, /kie knows task [0-9a-f]+ again; following it/);
  assert.equal(first.stats.submissions, 3, "no row was submitted again");
  assert.deepEqual(statusCounts(readResults(join(dir, "in.results.csv")), "succeeded"), [3]);
});

test("--simulate: a video not yet downloaded when the run stopped is downloaded by the next run (its stored URL still works)", {
  timeout: 90_000,
}, async (t) => {
  const dir = tempDir(t);
  const csv = writeCsv(dir, "in.csv", numberedPrompts(2, "Simulated and downloaded later"));
  const ledger = join(dir, "in.ledger.db");
  const args = ["run", csv, "--simulate", "--poll-interval", "0.1"];
  assert.equal((await runCli(args, { cwd: dir })).code, 0);
  // As if the run had stopped between the generation and the download.
  const db = new Database(ledger);
  db.prepare("UPDATE tasks SET state = 'generated'").run();
  db.prepare("UPDATE jobs SET status = 'running', video_path = NULL").run();
  db.close();
  rmSync(join(dir, "in-videos"), { recursive: true, force: true });
  const again = await runCli(args, { cwd: dir });
  assert.equal(again.code, 0, again.stderr);
  assert.deepEqual(statusCounts(readResults(join(dir, "in.results.csv")), "succeeded"), [2]);
});
