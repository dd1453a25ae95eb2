import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { Writable } from "node:stream";
import {
  createLogger,
  priceBatch,
  type RunEvent,
  readBatchStatus,
  runVideoBatch,
  StopRequest,
  UserError,
} from "../../src/index.js";
import { KEY, simFor } from "../helpers/batch.js";
import { numberedPrompts, queryLedger, readResults, tempDir, writeCsv } from "../helpers/fixtures.js";
import { pngBytes, writeFrame } from "../helpers/frames.js";
import { test } from "../helpers/leaks.js";
import { reportData } from "../helpers/report.js";

// The library entry, called as a program would: no CLI, no flags, settings in library units.
const FAST = { pollIntervalMs: 50, taskTimeoutMs: 120_000, timings: { retryBaseMs: 50, retryCapMs: 500 } };
const ENV = { KIE_API_KEY: KEY };

test("runVideoBatch runs a mixed batch and reports it as data: counts, spend, problems, next steps", async (t) => {
  const dir = tempDir(t);
  const sim = await simFor(t);
  const csv = writeCsv(
    dir,
    "in.csv",
    "id,prompt,duration\na,A calm lake,5\nb,This one [fail]s on purpose,5\nc,,5\nd,A busy street,10\n",
  );
  const events: RunEvent[] = [];
  const report = await runVideoBatch(
    { input: csv, baseUrl: sim.url, ...FAST },
    { env: ENV, onEvent: (e) => events.push(e) },
  );
  assert.equal(report.ending, "rows-failed");
  assert.equal(report.exitCode, 1);
  assert.deepEqual(report.counts, { succeeded: 2, failed: 1, invalid: 1 });
  assert.equal(report.submitted, 3);
  assert.ok(report.spend.totalUsd > 0);
  // The failed row and the invalid one (an empty prompt) both need the user, in input order.
  assert.equal(report.problemCount, 2);
  assert.deepEqual(
    report.problems.map((p) => p.row_key),
    ["id:b", "id:c"],
  );
  assert.deepEqual(
    report.next.map((s) => s.kind),
    // The content filter refused b: editing its prompt is the step, not --retry-failed.
    ["edit-refused", "fix-invalid"],
  );
  assert.equal(readResults(report.paths.out).length, 4);
  assert.equal(readdirSync(report.paths.videosDir).length, 2);
  assert.ok(report.paths.reportWritten);
  // Events: the plan first, then each row's way; a finished row says where its video is.
  assert.equal(events[0]?.type, "planned");
  const finished = events.filter((e) => e.type === "row" && e.status === "succeeded");
  assert.equal(finished.length, 2);
  for (const e of finished) assert.ok(e.type === "row" && e.videoPath?.endsWith(".mp4"));
  assert.ok(events.some((e) => e.type === "row" && e.key === "id:b" && e.status === "failed"));
  // Where the batch stands, read back from its ledger alone.
  const status = readBatchStatus(report.paths.ledger, { problems: true });
  assert.deepEqual(status.byStatus, report.counts);
  assert.equal(status.provider, "kie");
  assert.equal(status.runInProgress, null);
  assert.deepEqual(
    status.problems?.map((p) => [p.row_key, p.status]),
    [
      ["id:b", "failed"],
      ["id:c", "invalid"],
    ],
  );
});

test("a budget stop is a report with the budget to raise; the same call with it raised finishes the rest", async (t) => {
  const dir = tempDir(t);
  const sim = await simFor(t);
  const csv = writeCsv(dir, "in.csv", numberedPrompts(6, "Budget scene"));
  const first = await runVideoBatch({ input: csv, baseUrl: sim.url, maxCostUsd: 0.6, ...FAST }, { env: ENV });
  assert.equal(first.ending, "resumable");
  assert.equal(first.stopReason?.code, "budget");
  const raise = first.next[0];
  assert.ok(raise?.kind === "raise-max-cost" && raise.costUsd >= 6 * 0.275 - 0.01, JSON.stringify(raise));
  const second = await runVideoBatch(
    { input: csv, baseUrl: sim.url, maxCostUsd: raise.costUsd, ...FAST },
    { env: ENV },
  );
  assert.equal(second.ending, "finished");
  assert.deepEqual(second.counts, { succeeded: 6 });
  assert.equal(sim.stats.submissions, 6, "nothing paid twice across the two calls");
});

test("the caller's signal stops a run gracefully: an interrupted report, and the next call resumes", async (t) => {
  const dir = tempDir(t);
  const sim = await simFor(t, { genTimeMs: 1500 });
  const csv = writeCsv(dir, "in.csv", numberedPrompts(4, "Stopped scene"));
  const stop = new AbortController();
  const report = await runVideoBatch(
    { input: csv, baseUrl: sim.url, concurrency: 2, ...FAST },
    {
      env: ENV,
      signal: stop.signal,
      onEvent: (e) => {
        if (e.type === "row" && e.status === "running") stop.abort(new StopRequest("enough", 143));
      },
    },
  );
  assert.equal(report.ending, "interrupted");
  assert.equal(report.exitCode, 143, "the exit code the stop asked for");
  assert.ok((report.counts.pending ?? 0) > 0, JSON.stringify(report.counts));
  const again = await runVideoBatch({ input: csv, baseUrl: sim.url, ...FAST }, { env: ENV });
  assert.equal(again.ending, "finished");
  assert.equal(sim.stats.submissions, 4);
});

test("two runs of one ledger in one process: the second is refused while the first holds it", async (t) => {
  const dir = tempDir(t);
  const sim = await simFor(t, { genTimeMs: 800 });
  const csv = writeCsv(dir, "in.csv", numberedPrompts(3, "Shared ledger"));
  let second: Promise<unknown> | undefined;
  // What the second call ends with: its report, or the error it was refused with.
  const outcome = (p: Promise<unknown>) =>
    p.then(
      (report) => report,
      (error: unknown) => error,
    );
  const first = runVideoBatch(
    { input: csv, baseUrl: sim.url, ...FAST },
    {
      env: ENV,
      onEvent: (e) => {
        if (e.type === "planned")
          second = outcome(runVideoBatch({ input: csv, baseUrl: sim.url, ...FAST }, { env: ENV }));
      },
    },
  );
  assert.equal((await first).ending, "finished");
  const refused = await second;
  assert.ok(refused instanceof UserError && refused.code === "LEDGER_BUSY", String(refused));
  assert.equal(sim.stats.submissions, 3, "each row paid once");
});

test("settings errors are UserErrors with codes; keys come only from io.env and never reach a log or the ledger", async (t) => {
  const dir = tempDir(t);
  const sim = await simFor(t, { echoSecrets: "all" });
  const csv = writeCsv(dir, "in.csv", numberedPrompts(2, "Keyed scene"));
  await assert.rejects(runVideoBatch({ input: csv, baseUrl: sim.url }, { env: {} }), {
    code: "CONFIG_NO_KEY",
  });
  await assert.rejects(runVideoBatch({ input: join(dir, "missing.csv") }, { env: ENV }), {
    code: "INPUT_UNREADABLE",
  });
  // Settings a program gets wrong are refused before anything is read or sent, naming the setting.
  for (const [bad, name] of [
    [{ concurrency: 0 }, "concurrency"],
    [{ concurrency: 2.5 }, "concurrency"],
    [{ pollIntervalMs: 0 }, "pollIntervalMs"],
    [{ maxCostUsd: -1 }, "maxCostUsd"],
    [{ duration: 99 }, "duration"],
    [{ select: { lines: [[5, 2]] } }, "select.lines"],
    [{ callbacks: { host: "0", port: 8787, safetyPollMs: 1000 } }, "callbacks.host"],
    [
      { callbacks: { host: "127.0.0.1", port: 0, safetyPollMs: 1000, publicUrl: "ftp://x/y?q" } },
      "callbacks.publicUrl",
    ],
    [{ concurency: 3 }, "concurency"],
    [{ baseUrl: `http://user:pass@127.0.0.1:1` }, "baseUrl"],
  ] as const) {
    const settings = { input: csv, baseUrl: sim.url, ...bad } as Parameters<typeof runVideoBatch>[0];
    await assert.rejects(runVideoBatch(settings, { env: ENV }), (e: unknown) => {
      return e instanceof UserError && e.code === "USAGE" && e.message.startsWith(`\`${name}\``);
    });
  }
  assert.equal(sim.stats.counters.get("requests") ?? 0, 0, "nothing was sent for any of them");
  // Messages name settings as the settings object does; the CLI rewrites them to its flags.
  await assert.rejects(
    runVideoBatch({ input: csv, baseUrl: "ftp://example.com" }, { env: ENV }),
    (e: unknown) => e instanceof UserError && /`baseUrl`/.test(e.message) && !/--base-url/.test(e.message),
  );
  let logged = "";
  const stream = new Writable({
    write(chunk, _enc, done) {
      logged += String(chunk);
      done();
    },
  });
  // A logger given no secrets: the run tells it the keys it must hide.
  const log = createLogger({ stream, secrets: [], verbose: true });
  await runVideoBatch({ input: csv, baseUrl: sim.url, ...FAST, taskTimeoutMs: 2000 }, { env: ENV, log });
  assert.ok(logged.length > 0);
  assert.ok(!logged.includes(KEY), "the key is not in the log");
  const settings = queryLedger<{ options: string }>(join(dir, "in.ledger.db"), "SELECT options FROM runs");
  for (const row of settings) {
    assert.ok(!row.options.includes(KEY));
    assert.equal(JSON.parse(row.options).baseUrl, `${sim.url}/`);
  }
  assert.ok(!readFileSync(join(dir, "in.results.csv"), "utf8").includes(KEY));
});

test("priceBatch prices every row without a key and writes nothing", async (t) => {
  const dir = tempDir(t);
  const csv = writeCsv(dir, "in.csv", "prompt,duration\nA,5\nB,10\nC,5\n");
  const priced = await priceBatch({ input: csv }, { env: {} });
  assert.equal(priced.keyless, true);
  assert.equal(priced.toSubmit, 3);
  assert.equal(priced.plan.priceLines.length, 2);
  assert.ok(priced.plan.toSubmitUsd > 0);
  assert.equal(priced.balance, undefined);
  assert.deepEqual(readdirSync(dir), ["in.csv"], "no ledger, no results");
});

for (const how of ["throws", "rejects"] as const)
  test(`a listener that ${how} is told once and the run goes on: every row finished, none paid twice`, async (t) => {
    const dir = tempDir(t);
    const sim = await simFor(t);
    const csv = writeCsv(dir, "in.csv", numberedPrompts(3, "Clumsy listener"));
    let logged = "";
    const stream = new Writable({
      write(chunk, _enc, done) {
        logged += String(chunk);
        done();
      },
    });
    const report = await runVideoBatch(
      { input: csv, baseUrl: sim.url, ...FAST },
      {
        env: ENV,
        log: createLogger({ stream, secrets: [] }),
        onEvent:
          how === "throws"
            ? () => {
                throw new Error("listener bug");
              }
            : async () => {
                throw new Error("listener bug");
              },
      },
    );
    assert.equal(report.ending, "finished");
    assert.equal(sim.stats.submissions, 3);
    assert.equal(logged.match(/event listener threw \(listener bug\)/g)?.length, 1, logged);
  });

test("library: local frames are checked by priceBatch (nothing uploaded) and uploaded once by runVideoBatch, to uploadBaseUrl", async (t) => {
  const dir = tempDir(t);
  const api = await simFor(t);
  const uploads = await simFor(t);
  writeFrame(dir, "frames/cat.png", pngBytes(640, 360));
  writeFrame(dir, "frames/tiny.png", pngBytes(120, 120));
  const csv = writeCsv(
    dir,
    "in.csv",
    "prompt,image_url\nA cat,frames/cat.png\nThe cat again,frames/cat.png\nA tiny one,frames/tiny.png\n",
  );
  const settings = { input: csv, baseUrl: api.url, uploadBaseUrl: uploads.url, ...FAST };
  const priced = await priceBatch(settings, { env: ENV });
  assert.equal(priced.plan.invalid, 1);
  assert.equal(uploads.stats.uploadedSha256.length, 0, "a dry run uploads nothing");
  const report = await runVideoBatch(settings, { env: ENV });
  assert.deepEqual(report.counts, { succeeded: 2, invalid: 1 });
  assert.match(report.problems[0]?.error ?? readResults(report.paths.out)[2]?.error ?? "", /120×120 pixels/);
  assert.equal(uploads.stats.uploadedSha256.length, 1, "one file, one upload, on the upload host");
  assert.equal(api.stats.uploadedSha256.length, 0);
});

test("the report is rewritten while the run goes (at most every reportRefreshMs, off the submission path), and once more at its end", async (t) => {
  const dir = tempDir(t);
  const sim = await simFor(t, { genTimeMs: 400, genJitter: 0 });
  const csv = writeCsv(dir, "in.csv", numberedPrompts(8, "A harbour"));
  const reportPath = join(dir, "in.report.html");
  const seen: number[] = [];
  let ended = false;
  const watching = (async () => {
    while (!ended) {
      try {
        const succeeded = reportData(reportPath).cards.filter((c) => c.status === "succeeded").length;
        if (seen.at(-1) !== succeeded) seen.push(succeeded);
      } catch {
        // not written yet, or being renamed into place
      }
      await new Promise((r) => setTimeout(r, 25));
    }
  })();
  const report = await runVideoBatch(
    {
      input: csv,
      baseUrl: sim.url,
      ...FAST,
      concurrency: 1,
      timings: { ...FAST.timings, reportRefreshMs: 150 },
    },
    { env: ENV },
  );
  ended = true;
  await watching;
  assert.equal(report.counts.succeeded, 8);
  assert.ok(
    seen.some((n) => n > 0 && n < 8),
    `a report with some of the clips was there before the run ended (seen: ${seen.join(", ")})`,
  );
  assert.equal(reportData(reportPath).cards.filter((c) => c.status === "succeeded").length, 8);
});
