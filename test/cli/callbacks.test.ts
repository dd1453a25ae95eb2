import assert from "node:assert/strict";
import { join } from "node:path";
import { sampleVideo } from "../../src/simulator/sample-video.js";
import type { Simulator } from "../../src/simulator/simulator.js";
import {
  isCompleteVideo,
  KLING_ENV,
  runBatchCli,
  runKlingCli,
  simFor,
  submittedOnceEach,
} from "../helpers/batch.js";
import type { CliResult } from "../helpers/cli.js";
import {
  numberedPrompts,
  queryLedger,
  readResults,
  statusCounts,
  tempDir,
  waitFor,
  writeCsv,
} from "../helpers/fixtures.js";
import { test } from "../helpers/leaks.js";

const KIE_WEBHOOK_KEY = "kie-webhook-hmac-key-3b9d";
// base64 of 32 bytes, as Kling's console hands out.
const KLING_WEBHOOK_SECRET = `whsec_${Buffer.alloc(32, 7).toString("base64")}`;

interface Summary {
  exitCode: number;
  byStatus: Record<string, number>;
  callbacks?: { received: number; used: number; ignored: number; refused: number };
}

const summaryOf = (r: CliResult) => JSON.parse(r.stdout) as Summary;
const counter = (sim: Simulator, name: string) => sim.stats.counters.get(name) ?? 0;
/** The callbacks run: the receiver on a free loopback port, and a long safety-net poll. */
const LISTEN = ["--listen", "0", "--callback-poll", "60", "--json"];

function allVideosComplete(dir: string, rows: Record<string, string>[]): boolean {
  const sample = sampleVideo();
  return rows.every((r) => r.video_path !== "" && isCompleteVideo(join(dir, r.video_path ?? ""), sample));
}

test("callbacks: each KIE task is confirmed with one status call, signed or not (KIE's signature does not cover the body)", {
  timeout: 90_000,
}, async (t) => {
  const dir = tempDir(t);
  const csv = writeCsv(dir, "in.csv", numberedPrompts(6, "A lighthouse in fog shot"));
  const sim = await simFor(t, { genTimeMs: 400 });
  const r = await runBatchCli(dir, csv, sim, LISTEN);
  assert.equal(r.code, 0, r.stderr);
  const rows = readResults(join(dir, "in.results.csv"));
  assert.deepEqual(statusCounts(rows, "succeeded"), [6]);
  assert.ok(allVideosComplete(dir, rows));
  assert.equal(counter(sim, "callbacks.sent"), 6);
  // Without a key a callback is a hint: one status call confirms it, and nothing else is asked
  // (the safety net is a minute away).
  assert.equal(counter(sim, "kie.status"), 6);
  assert.deepEqual(summaryOf(r).callbacks, { received: 6, used: 6, ignored: 0, refused: 0 });
  // Each create carried its own address under the batch's secret path; the secret is never printed.
  const [{ value: secret }] = queryLedger<{ value: string }>(
    join(dir, "in.ledger.db"),
    "SELECT value FROM batch_meta WHERE key = 'callback_secret'",
  ) as [{ value: string }];
  const tasks = queryLedger<{ external_id: string; request_json: string }>(
    join(dir, "in.ledger.db"),
    "SELECT external_id, request_json FROM tasks",
  );
  for (const task of tasks) {
    const url = (JSON.parse(task.request_json) as { callBackUrl: string }).callBackUrl;
    assert.match(url, new RegExp(`^http://127\\.0\\.0\\.1:\\d+/${secret}/${task.external_id}$`));
  }
  assert.ok(!r.stderr.includes(secret), "the callback secret is not printed");

  // Signed with the key the run verifies with: still one status call, since KIE's HMAC covers only
  // `taskId.timestamp` — the outcome, the charge and the URL come from the status answer.
  const signedDir = tempDir(t);
  const signedCsv = writeCsv(signedDir, "in.csv", numberedPrompts(6, "A lighthouse in fog take"));
  const signedSim = await simFor(t, { genTimeMs: 400, callbacks: { kieWebhookKey: KIE_WEBHOOK_KEY } });
  const signed = await runBatchCli(signedDir, signedCsv, signedSim, LISTEN, { KIE_WEBHOOK_KEY });
  assert.equal(signed.code, 0, signed.stderr);
  assert.equal(counter(signedSim, "kie.status"), 6);
  assert.deepEqual(statusCounts(readResults(join(signedDir, "in.results.csv")), "succeeded"), [6]);
  const charged = queryLedger<{ n: number }>(
    join(signedDir, "in.ledger.db"),
    "SELECT COUNT(*) AS n FROM tasks WHERE charged_credits IS NOT NULL AND polls = 1",
  );
  assert.equal(charged[0]?.n, 6, "the charge is read from the status answer");
  assert.ok(!signed.stderr.includes(KIE_WEBHOOK_KEY), "the webhook key is never printed");
});

test("callbacks: lost ones are caught by the safety-net poll; repeated and late ones change nothing", {
  timeout: 90_000,
}, async (t) => {
  const dir = tempDir(t);
  const csv = writeCsv(dir, "in.csv", numberedPrompts(5, "A fox in snow shot"));
  const sim = await simFor(t, { genTimeMs: 300, callbacks: { dropRate: 1 } });
  const r = await runBatchCli(dir, csv, sim, ["--listen", "0", "--callback-poll", "0.4", "--json"]);
  assert.equal(r.code, 0, r.stderr);
  assert.equal(counter(sim, "callbacks.dropped"), 5);
  assert.equal(summaryOf(r).callbacks?.received, 0);
  const rows = readResults(join(dir, "in.results.csv"));
  assert.deepEqual(statusCounts(rows, "succeeded"), [5]);
  assert.ok(allVideosComplete(dir, rows));

  const repeatDir = tempDir(t);
  const repeatCsv = writeCsv(repeatDir, "in.csv", numberedPrompts(5, "A fox in snow take"));
  const repeatSim = await simFor(t, { genTimeMs: 300, callbacks: { repeat: 3, delayMs: 300 } });
  const repeated = await runBatchCli(repeatDir, repeatCsv, repeatSim, LISTEN);
  assert.equal(repeated.code, 0, repeated.stderr);
  // Copies still on their way when the run ended find nobody listening, as in life.
  await waitFor(
    () => counter(repeatSim, "callbacks.answered.200") + counter(repeatSim, "callbacks.unreachable") === 15,
    "every copy to be answered or refused",
  );
  assert.equal(counter(repeatSim, "callbacks.sent") + counter(repeatSim, "callbacks.repeated"), 15);
  const cb = summaryOf(repeated).callbacks;
  assert.equal(cb?.received, counter(repeatSim, "callbacks.answered.200"));
  assert.ok((cb?.received ?? 0) >= 5);
  assert.equal(cb?.used, 5, "one callback per task wakes it");
  assert.equal(cb?.ignored, (cb?.received ?? 0) - 5, "repeats are answered 200 and ignored");
  assert.ok(submittedOnceEach(repeatSim));
  const repeatRows = readResults(join(repeatDir, "in.results.csv"));
  assert.deepEqual(statusCounts(repeatRows, "succeeded"), [5]);
  assert.ok(allVideosComplete(repeatDir, repeatRows));
  const downloads = queryLedger<{ n: number }>(
    join(repeatDir, "in.ledger.db"),
    "SELECT COUNT(*) AS n FROM tasks WHERE state = 'succeeded'",
  );
  assert.equal(downloads[0]?.n, 5);
});

test("callbacks: a forged success is confirmed (unsigned) or refused (bad signature), never believed", {
  timeout: 90_000,
}, async (t) => {
  const dir = tempDir(t);
  const csv = writeCsv(dir, "in.csv", numberedPrompts(4, "A red kite over dunes shot"));
  const sim = await simFor(t, { genTimeMs: 1200, genJitter: 0, callbacks: { forgeRate: 1 } });
  const r = await runBatchCli(dir, csv, sim, LISTEN);
  assert.equal(r.code, 0, r.stderr);
  assert.equal(counter(sim, "callbacks.forged"), 4);
  const rows = readResults(join(dir, "in.results.csv"));
  assert.deepEqual(statusCounts(rows, "succeeded"), [4]);
  assert.ok(allVideosComplete(dir, rows), "every video is the real one");
  assert.ok(
    rows.every((row) => !row.video_url?.includes("ffffffff")),
    "no row took the forged URL",
  );
  // (Each forged "success" woke its task early, and its status call said "still generating".)

  const keyDir = tempDir(t);
  const keyCsv = writeCsv(keyDir, "in.csv", numberedPrompts(4, "A red kite over dunes take"));
  const keySim = await simFor(t, {
    genTimeMs: 1200,
    genJitter: 0,
    callbacks: { forgeRate: 1, kieWebhookKey: KIE_WEBHOOK_KEY },
  });
  const keyed = await runBatchCli(keyDir, keyCsv, keySim, LISTEN, { KIE_WEBHOOK_KEY });
  assert.equal(keyed.code, 0, keyed.stderr);
  assert.equal(summaryOf(keyed).callbacks?.refused, 4);
  assert.equal(counter(keySim, "callbacks.answered.401"), 4);
  assert.equal(counter(keySim, "kie.status"), 4, "forged ones cost nothing; each real one is checked once");
  assert.match(keyed.stderr, /a callback was refused: its signature does not match/);
  const keyRows = readResults(join(keyDir, "in.results.csv"));
  assert.ok(allVideosComplete(keyDir, keyRows));
});

test("callbacks: a KIE create whose answer was lost is resolved by its callback, not left unknown", {
  timeout: 90_000,
}, async (t) => {
  const dir = tempDir(t);
  const csv = writeCsv(dir, "in.csv", numberedPrompts(4, "A paper boat on a stream shot"));
  // Every create makes its task, then the connection drops before the answer.
  const sim = await simFor(t, { genTimeMs: 500, faults: { createDropRate: 1 } });
  const r = await runBatchCli(dir, csv, sim, LISTEN);
  assert.equal(counter(sim, "kie.create.dropped"), 4);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stderr, /did reach kie \(task [0-9a-f]{32}, named by its callback\); following it/);
  assert.equal(sim.stats.submissions, 4, "nothing was submitted twice");
  assert.ok(submittedOnceEach(sim));
  const rows = readResults(join(dir, "in.results.csv"));
  assert.deepEqual(statusCounts(rows, "succeeded", "unknown"), [4, 0]);
  assert.ok(allVideosComplete(dir, rows));
  const tasks = queryLedger<{ task_id: string | null; state: string }>(
    join(dir, "in.ledger.db"),
    "SELECT task_id, state FROM tasks",
  );
  assert.equal(tasks.length, 4);
  assert.ok(tasks.every((task) => task.state === "succeeded" && /^[0-9a-f]{32}$/.test(task.task_id ?? "")));
});

test("callbacks: a callback that comes before its create's answer is lost still resolves the row", {
  timeout: 90_000,
}, async (t) => {
  const dir = tempDir(t);
  const csv = writeCsv(dir, "in.csv", numberedPrompts(3, "A lantern on a pier shot"));
  // The task finishes and calls back while the create request is still waiting for its answer,
  // which then never comes: the callback will not come a second time.
  const sim = await simFor(t, {
    genTimeMs: 200,
    genJitter: 0,
    createDelayMs: 1500,
    faults: { createDropRate: 1 },
  });
  const r = await runBatchCli(dir, csv, sim, LISTEN);
  assert.equal(counter(sim, "kie.create.dropped"), 3);
  assert.equal(r.code, 0, r.stderr);
  assert.equal(sim.stats.submissions, 3);
  const rows = readResults(join(dir, "in.results.csv"));
  assert.deepEqual(statusCounts(rows, "succeeded", "unknown"), [3, 0]);
  assert.ok(allVideosComplete(dir, rows));
});

test("callbacks on Kling: Standard-Webhooks signatures verify, forged ones are refused", {
  timeout: 90_000,
}, async (t) => {
  const dir = tempDir(t);
  const csv = writeCsv(dir, "in.csv", numberedPrompts(4, "A tram at night shot"));
  const sim = await simFor(t, {
    genTimeMs: 600,
    genJitter: 0,
    callbacks: { forgeRate: 1, klingWebhookSecret: KLING_WEBHOOK_SECRET },
  });
  const r = await runKlingCli(dir, csv, sim, LISTEN, { ...KLING_ENV, KLING_WEBHOOK_SECRET });
  assert.equal(r.code, 0, r.stderr);
  const rows = readResults(join(dir, "in.results.csv"));
  assert.deepEqual(statusCounts(rows, "succeeded"), [4]);
  assert.ok(allVideosComplete(dir, rows));
  const cb = summaryOf(r).callbacks;
  // Kling calls back on every change (submitted, processing, succeed) and 4 forgeries come too.
  assert.equal(cb?.refused, 4);
  assert.equal(counter(sim, "kling.status"), 0, "signed callbacks need no status call");
  const requests = queryLedger<{ request_json: string }>(
    join(dir, "in.ledger.db"),
    "SELECT request_json FROM tasks",
  );
  assert.ok(requests.every((q) => /"callback_url":"http:\/\/127\.0\.0\.1:\d+\//.test(q.request_json)));
  assert.ok(!r.stderr.includes(KLING_WEBHOOK_SECRET));
});

test("callbacks: options that cannot work are refused before anything is submitted", async (t) => {
  const dir = tempDir(t);
  const csv = writeCsv(dir, "in.csv", numberedPrompts(2, "A bench"));
  const sim = await simFor(t);
  const noListen = await runBatchCli(dir, csv, sim, ["--callback-url", "https://abc.example/hook"]);
  assert.equal(noListen.code, 2);
  assert.match(noListen.stderr, /--callback-url needs --listen \[HOST:\]PORT/);
  const query = await runBatchCli(dir, csv, sim, [
    "--callback-url",
    "https://abc.example/?x=1",
    "--listen",
    "0",
  ]);
  assert.equal(query.code, 2);
  assert.match(query.stderr, /--callback-url must be an http\(s\) URL with no query/);
  for (const [listen, reason] of [
    ["0.0.0.0:0", /--listen on 0\.0\.0\.0 is reachable from other machines: it needs --callback-url/],
    ["[::]:0", /--listen on :: is reachable from other machines: it needs --callback-url/],
    ["192.168.1.7:0", /--listen on 192\.168\.1\.7 is reachable from other machines: it needs --callback-url/],
    // Shorthands the system widens to every interface, and names that may resolve anywhere.
    ["0:0", /"0" is not an IP address; write 127\.0\.0\.1:0/],
    ["0:8787", /"0" is not an IP address/],
    ["my-laptop.lan:8787", /"my-laptop\.lan" is not an IP address/],
  ] as const) {
    const refused = await runBatchCli(dir, csv, sim, ["--listen", listen]);
    assert.equal(refused.code, 2, `${listen}: ${refused.stderr}`);
    assert.match(refused.stderr, reason);
  }
  // With an explicit public address, listening beyond loopback is allowed, and said so.
  const exposed = await runBatchCli(dir, csv, sim, [
    "--listen",
    "0.0.0.0:0",
    "--callback-url",
    "https://abc.example/hook",
    "--rows",
    "99",
  ]);
  assert.match(
    exposed.stderr,
    /the callback receiver listens on 0\.0\.0\.0:\d+, reachable from other machines/,
  );
  const wireflow = await runBatchCli(dir, csv, sim, ["--provider", "wireflow", "--listen", "0"]);
  assert.equal(wireflow.code, 2);
  assert.match(wireflow.stderr, /Wireflow documents no completion callbacks/);
  assert.equal(sim.stats.submissions, 0);
});
