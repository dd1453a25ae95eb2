import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { copyFileSync, mkdirSync, readdirSync, rmSync, statfsSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import Database from "better-sqlite3";
import { sampleVideo } from "../../src/simulator/sample-video.js";
import { isCompleteVideo, runBatchCli, simFor, startBatchCli, submittedOnceEach } from "../helpers/batch.js";
import { runCli } from "../helpers/cli.js";
import {
  ledgerCount,
  numberedPrompts,
  queryLedger,
  readResults,
  statusCounts,
  tempDir,
  waitFor,
  writeCsv,
} from "../helpers/fixtures.js";
import { assertLedgerConsistent } from "../helpers/hostile.js";
import { test } from "../helpers/leaks.js";

/** Mounts a tmpfs of `size` at `dir` (root only); false where this machine does not allow it. */
function mountSmallDisk(dir: string, size: string): boolean {
  try {
    execFileSync("mount", ["-t", "tmpfs", "-o", `size=${size}`, "tmpfs", dir], { stdio: "ignore" });
    return true;
  } catch {
    return false;
  }
}

test("the disk filling up mid-run stops submitting, keeps every whole video and the ledger, says so (exit 3); with space the same command finishes", {
  timeout: 120_000,
}, async (t) => {
  const dir = tempDir(t);
  const videos = join(dir, "videos");
  mkdirSync(videos);
  if (!mountSmallDisk(videos, "64k")) {
    t.diagnostic("mounting a small tmpfs is not allowed here (not root?): the full-disk check did not run");
    return;
  }
  t.after(() => execFileSync("umount", ["-l", videos]));
  const sim = await simFor(t, { genTimeMs: 200 });
  const csv = writeCsv(dir, "in.csv", numberedPrompts(12, "Filling the disk"));
  const full = await runBatchCli(dir, csv, sim, ["--videos-dir", videos, "--concurrency", "2"]);
  assert.equal(full.code, 3, full.stderr);
  assert.match(
    full.stderr,
    /the disk holding .*videos is full \(\d+(\.\d)? (bytes|KiB|MiB|GiB) free\): free at least/,
  );
  assert.match(full.stderr, /Next: Free disk space/);
  assert.ok(sim.stats.submissions < 12, "submitting stopped");
  for (const name of readdirSync(videos)) {
    assert.ok(!name.endsWith(".part"), `a partial file was left: ${name}`);
    assert.ok(isCompleteVideo(join(videos, name), sampleVideo()), `${name} is whole`);
  }
  assertLedgerConsistent(join(dir, "in.ledger.db"));

  execFileSync("mount", ["-o", "remount,size=4m", videos]);
  const resumed = await runBatchCli(dir, csv, sim, ["--videos-dir", videos]);
  assert.equal(resumed.code, 0, resumed.stderr);
  assert.equal(sim.stats.submissions, 12);
  assert.ok(submittedOnceEach(sim));
  assert.deepEqual(statusCounts(readResults(join(dir, "in.results.csv")), "succeeded"), [12]);
});

test("a damaged, foreign or newer ledger gets a clear message and exit 2 from every command, and is left as it was", {
  timeout: 60_000,
}, async (t) => {
  const dir = tempDir(t);
  const sim = await simFor(t);
  const csv = writeCsv(dir, "in.csv", numberedPrompts(2, "A ledger to damage"));
  assert.equal((await runBatchCli(dir, csv, sim)).code, 0);
  const good = join(dir, "in.ledger.db");

  const newer = join(dir, "newer.db");
  copyFileSync(good, newer);
  const db = new Database(newer);
  db.pragma("user_version = 99");
  db.close();
  const damaged = join(dir, "damaged.db");
  writeFileSync(damaged, Buffer.concat([Buffer.from("SQLite format 3\0"), Buffer.alloc(4096, 0xa5)]));
  const random = join(dir, "random.db");
  writeFileSync(random, Buffer.alloc(8192, 0x5a));

  for (const [ledger, code, reason] of [
    [newer, "LEDGER_TOO_NEW", /written by a newer vidbatch \(schema 99; this one knows \d+\)/],
    [damaged, "LEDGER_CORRUPT", /is damaged .*Do not delete it/],
    [random, "LEDGER_CORRUPT", /is damaged \(file is not a database\)/],
  ] as const) {
    for (const command of [
      ["status", csv, "--ledger", ledger],
      ["status", csv, "--ledger", ledger, "--failed"],
      ["export", csv, "--ledger", ledger, "--out", join(dir, "x.csv")],
      ["report", csv, "--ledger", ledger, "--out", join(dir, "x.html")],
      ["run", csv, "--ledger", ledger, "--base-url", sim.url],
    ]) {
      const r = await runCli(command, { cwd: dir, env: { KIE_API_KEY: "kie-test-key-5f1c2e9a" } });
      assert.equal(r.code, 2, `${command[0]} on ${ledger}: ${r.stderr}`);
      assert.match(r.stderr, new RegExp(`\\[${code}\\]`));
      assert.match(r.stderr, reason);
      assert.doesNotMatch(r.stderr, /internal error|at .*\.js:\d+/);
    }
  }
  const after = new Database(newer, { readonly: true });
  assert.equal(after.pragma("user_version", { simple: true }), 99, "the newer ledger was not touched");
  after.close();
});

test("a read-only disk under the ledger and outputs: every command says so (exit 2), nothing is submitted, and nothing hangs", {
  timeout: 90_000,
}, async (t) => {
  const dir = tempDir(t);
  const disk = join(dir, "disk");
  mkdirSync(disk);
  if (!mountSmallDisk(disk, "32m")) {
    t.diagnostic("mounting a tmpfs is not allowed here (not root?): the read-only check did not run");
    return;
  }
  t.after(() => execFileSync("umount", ["-l", disk]));
  const sim = await simFor(t);
  const where = [
    "--ledger",
    join(disk, "in.ledger.db"),
    "--out",
    join(disk, "in.results.csv"),
    "--videos-dir",
    join(disk, "videos"),
  ];
  const csv = writeCsv(dir, "in.csv", numberedPrompts(2, "On a disk that turns read-only"));
  assert.equal((await runBatchCli(dir, csv, sim, where)).code, 0);
  execFileSync("mount", ["-o", "remount,ro", disk]);
  writeCsv(dir, "in.csv", numberedPrompts(4, "On a disk that turns read-only"));
  const run = await runBatchCli(dir, csv, sim, where);
  assert.equal(run.code, 2, run.stderr);
  assert.match(run.stderr, /\[(OUTPUT_UNWRITABLE|LEDGER_READ_ONLY)\]/);
  assert.equal(sim.stats.submissions, 2, "nothing was submitted");
  for (const command of [
    ["status", csv],
    ["export", csv, "--out", join(dir, "x.csv")],
  ]) {
    const r = await runCli([...command, "--ledger", join(disk, "in.ledger.db")], { cwd: dir });
    assert.equal(r.code, 2, r.stderr);
    assert.match(r.stderr, /\[LEDGER_READ_ONLY\]: Cannot open the ledger .*its folder is read-only/);
  }
  execFileSync("mount", ["-o", "remount,rw", disk]);
  const resumed = await runBatchCli(dir, csv, sim, where);
  assert.equal(resumed.code, 0, resumed.stderr);
  assert.equal(sim.stats.submissions, 4);
  assert.ok(submittedOnceEach(sim));
});

test("the ledger's own disk filling up mid-run stops the creates (exit 3) with every paid task named in the ledger; with space the same command finishes", {
  timeout: 120_000,
}, async (t) => {
  const dir = tempDir(t);
  const disk = join(dir, "ledger-disk");
  mkdirSync(disk);
  if (!mountSmallDisk(disk, "32m")) {
    t.diagnostic("mounting a tmpfs is not allowed here (not root?): the full-ledger check did not run");
    return;
  }
  t.after(() => execFileSync("umount", ["-l", disk]));
  const sim = await simFor(t, { genTimeMs: 1500, genJitter: 0 });
  const csv = writeCsv(dir, "in.csv", numberedPrompts(10, "A ledger on a full disk"));
  const ledger = join(disk, "in.ledger.db");
  const run = startBatchCli(dir, csv, sim, ["--ledger", ledger, "--concurrency", "2"]);
  await waitFor(
    () => ledgerCount(ledger, "SELECT COUNT(*) AS n FROM tasks WHERE state = 'running'") >= 1,
    "a task generating",
  );
  // Take every free byte: no create may go out whose task id could not be written.
  const filler = join(disk, "filler");
  const { bavail, bsize } = statfsSync(disk);
  try {
    writeFileSync(filler, Buffer.alloc(bavail * bsize));
  } catch {
    // ENOSPC part-way: the disk is full either way
  }
  const done = await run.done;
  assert.equal(done.code, 3, done.stderr);
  assert.match(done.stderr, /the disk holding the ledger .* is nearly full|\[DISK_FULL\]: the disk is full/);
  assert.doesNotMatch(done.stderr, /INTERNAL|a bug/);
  // Every task the provider made is named in the ledger: none paid and lost.
  const named = new Set(
    queryLedger<{ task_id: string }>(ledger, "SELECT task_id FROM tasks WHERE task_id IS NOT NULL").map(
      (r) => r.task_id,
    ),
  );
  for (const id of sim.stats.tasks.keys()) assert.ok(named.has(id), `task ${id} is not in the ledger`);
  rmSync(filler);
  const resumed = await runBatchCli(dir, csv, sim, ["--ledger", ledger]);
  assert.equal(resumed.code, 0, resumed.stderr);
  assert.equal(sim.stats.submissions, 10);
  assert.ok(submittedOnceEach(sim));
});
