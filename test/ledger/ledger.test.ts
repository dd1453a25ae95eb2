import assert from "node:assert/strict";
import { hostname } from "node:os";
import { join } from "node:path";
import { createJobStore } from "../../src/ledger/job-store.js";
import { createMarkStore } from "../../src/ledger/mark-store.js";
import { MIGRATIONS } from "../../src/ledger/migrations.js";
import { openLedger } from "../../src/ledger/open-ledger.js";
import { acquireRunLock } from "../../src/ledger/run-lock.js";
import { readSpend } from "../../src/ledger/summary.js";
import { createTaskStore } from "../../src/ledger/task-store.js";
import { tempDir } from "../helpers/fixtures.js";
import { test } from "../helpers/leaks.js";
import { recordTestIntent } from "../helpers/ledger.js";

const LATEST = MIGRATIONS.at(-1)?.version;

test("a new ledger is migrated, in WAL mode, and reopening it is a no-op", (t) => {
  const path = join(tempDir(t), "l.db");
  const db = openLedger(path);
  assert.equal(db.pragma("journal_mode", { simple: true }), "wal");
  assert.equal(db.pragma("user_version", { simple: true }), LATEST);
  db.close();
  const again = openLedger(path);
  assert.equal(again.pragma("user_version", { simple: true }), LATEST);
  again.close();
});

test("a ledger from a newer vidbatch is refused rather than misread", (t) => {
  const path = join(tempDir(t), "l.db");
  const db = openLedger(path);
  db.pragma("user_version = 99");
  db.close();
  assert.throws(() => openLedger(path), /newer vidbatch/);
});

test("the run lock refuses a live holder and takes over a dead one", (t) => {
  const path = join(tempDir(t), "l.db");
  const db = openLedger(path);
  const now = new Date().toISOString();
  // A live process (our parent) holds it.
  db.prepare("INSERT INTO run_lock (id, pid, host, started_at, heartbeat_at) VALUES (1, ?, ?, ?, ?)").run(
    process.ppid,
    hostname(),
    now,
    now,
  );
  assert.throws(() => acquireRunLock(db, path), { code: "LEDGER_BUSY" });
  // A dead one (pid far beyond pid_max).
  db.prepare("UPDATE run_lock SET pid = 4194305").run();
  const lock = acquireRunLock(db, path);
  lock.release();
  assert.equal((db.prepare("SELECT COUNT(*) AS n FROM run_lock").get() as { n: number }).n, 0);
  db.close();
});

test("the holder's own stale window counts: a run with a shorter one does not take over a healthy run; a suspended one is taken over as possibly alive", (t) => {
  const path = join(tempDir(t), "l.db");
  const db = openLedger(path);
  const fiveSecondsAgo = new Date(Date.now() - 5000).toISOString();
  // A live process (our parent), heartbeat 5 s old, whose own window is 60 s.
  db.prepare(
    "INSERT INTO run_lock (id, pid, host, started_at, heartbeat_at, token, stale_after_ms) VALUES (1, ?, ?, ?, ?, 'theirs', 60000)",
  ).run(process.ppid, hostname(), fiveSecondsAgo, fiveSecondsAgo);
  assert.throws(() => acquireRunLock(db, path, { staleAfterMs: 1000 }), { code: "LEDGER_BUSY" });
  // Its heartbeat past both windows (suspended): taken over, and said to be possibly alive.
  db.prepare("UPDATE run_lock SET heartbeat_at = ?").run(new Date(Date.now() - 120_000).toISOString());
  const lock = acquireRunLock(db, path, { staleAfterMs: 1000 });
  assert.equal(lock.tookOverLive, true);
  lock.release();
  db.close();
});

test("spend counts charges, else estimates of tasks that may exist, and nothing for refused creates", (t) => {
  const db = openLedger(join(tempDir(t), "l.db"));
  const jobs = createJobStore(db);
  const tasks = createTaskStore(db);
  for (const key of ["a", "b", "c", "d"]) {
    jobs.sync({
      key,
      index: 1,
      line: 2,
      cells: [],
      specJson: "{}",
      videoName: key,
      error: null,
      estimatedCostUsd: 0.275,
    });
  }
  const intent = (rowKey: string) => recordTestIntent(tasks, rowKey);
  const a = intent("a");
  tasks.recordSubmitted(a, "T-a");
  tasks.recordGenerated(a, "success", "http://x/a.mp4", { chargedCredits: 60, chargedUsd: 0.3 }, 3);
  const b = intent("b");
  tasks.recordRejected(b, "KIE_429", "rate limited", "pending");
  const c = intent("c");
  tasks.recordUnknown(c, "ECONNRESET", "lost");
  const d = intent("d");
  tasks.recordSubmitted(d, "T-d");
  tasks.recordFailed(d, "fail", "500", "boom", {}, 2);
  const spend = readSpend(db);
  assert.equal(Math.round(spend.totalUsd * 1000), 575, "0.30 charged + 0.275 estimated for the unknown one");
  assert.equal(Math.round(spend.estimatedUsd * 1000), 275);
  assert.equal(jobs.get("a")?.status, "running", "generated is still running until the video is on disk");
  assert.equal(jobs.get("b")?.status, "pending");
  assert.equal(jobs.get("c")?.status, "unknown");
  assert.equal(jobs.get("d")?.status, "failed");
  db.close();
});

test("a Redo mark is cleared only when the new attempt --redo asked for is submitted, not when the run resubmits the row on its own; its note stays", (t) => {
  const db = openLedger(join(tempDir(t), "l.db"));
  const jobs = createJobStore(db);
  const tasks = createTaskStore(db);
  const marks = createMarkStore(db);
  for (const [i, key] of ["a", "b"].entries())
    jobs.sync({
      key,
      index: i + 1,
      line: i + 2,
      cells: [],
      specJson: "{}",
      videoName: key,
      error: null,
      estimatedCostUsd: 0.275,
    });
  marks.set("a", { mark: "redo", note: "too dark" });
  marks.set("b", { mark: "redo" });
  // b was marked while its first attempt ran; the run submits it again by itself (a free retry).
  tasks.expectRedo(["a"]);
  tasks.recordSubmitted(recordTestIntent(tasks, "b"), "T-b2");
  tasks.recordSubmitted(recordTestIntent(tasks, "a"), "T-a2");
  assert.deepEqual(db.prepare("SELECT row_key, mark, note FROM marks ORDER BY row_key").all(), [
    { row_key: "a", mark: null, note: "too dark" },
    { row_key: "b", mark: "redo", note: "" },
  ]);
  db.close();
});

test("a run that dies after a --redo attempt went out, before its mark was cleared: the next run knows the mark did its work (no third attempt)", (t) => {
  const db = openLedger(join(tempDir(t), "l.db"));
  const jobs = createJobStore(db);
  const tasks = createTaskStore(db);
  jobs.sync({
    key: "a",
    index: 1,
    line: 2,
    cells: [],
    specJson: "{}",
    videoName: "a",
    error: null,
    estimatedCostUsd: 0.275,
  });
  const first = recordTestIntent(tasks, "a");
  tasks.recordSubmitted(first, "T-a1");
  tasks.recordGenerated(first, "success", "http://x/a.mp4", {}, 1);
  tasks.recordDownloaded(first, "/v/a.mp4");
  createMarkStore(db).set("a", { mark: "redo" });
  // The --redo run puts it back and sends the new attempt, then dies before recording its task id
  // (its in-memory list of rows to clear dies with it).
  const redo = createMarkStore(db).requeueRedo();
  assert.deepEqual(redo.keys, ["a"]);
  recordTestIntent(createTaskStore(db), "a");
  // The next run, --redo again (the same command): the mark has done its work.
  const next = createMarkStore(db);
  assert.equal(next.settleEarlierRedo(), 1);
  assert.equal(
    (db.prepare("SELECT mark FROM marks WHERE row_key = 'a'").get() as { mark: string | null }).mark,
    null,
  );
  assert.equal(next.requeueRedo().rows, 0, "nothing to redo again");
  db.close();
});
