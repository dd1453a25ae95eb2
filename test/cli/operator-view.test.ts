import assert from "node:assert/strict";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { KEY, runArgs, runBatchCli, simFor } from "../helpers/batch.js";
import { runCli } from "../helpers/cli.js";
import { numberedPrompts, tempDir, writeCsv } from "../helpers/fixtures.js";
import { test } from "../helpers/leaks.js";

const ESC = String.fromCharCode(27);
test("in a log file: timestamped plain lines, one per failure, no per-row noise, no escape codes or carriage returns", {
  timeout: 60_000,
}, async (t) => {
  const dir = tempDir(t);
  const sim = await simFor(t);
  const csv = writeCsv(dir, "in.csv", `${numberedPrompts(6, "A lake")}A scene [fail] moderation rejects\n`);
  const run = await runBatchCli(dir, csv, sim);
  assert.equal(run.code, 1, run.stderr);
  assert.ok(!run.stderr.includes("\r") && !run.stderr.includes(ESC), "no carriage return, no escape code");
  for (const line of run.stderr.trimEnd().split("\n"))
    assert.match(line, /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC /, `timestamped, in UTC, and saying so: ${line}`);
  assert.doesNotMatch(run.stderr, /succeeded →/, "a routine row event is not a line of its own");
  assert.equal(run.stderr.match(/ {2}line 8: failed: /g)?.length, 1, "one line per failure");
  assert.match(run.stderr, /1 row\(s\) need attention:\n.* {2}- line 8: failed: .*Invalid prompt/);
  assert.match(
    run.stderr,
    /Next: The provider's content filter refused line 8: the same prompt would be refused again, so edit the prompt on that line; the next run submits an edited row again: vidbatch run .*in\.csv/,
  );
  assert.match(run.stderr, /report: in\.report\.html/);
  assert.ok(existsSync(join(dir, "in.report.html")), "the report is written at the end of every run");

  // The estimate counts the rows --retry-failed will submit again.
  const retry = await runBatchCli(dir, csv, sim, ["--retry-failed"]);
  assert.match(retry.stderr, /1 pending\. Estimated \$0\.28 for the rows to submit/);
  assert.match(retry.stderr, /--retry-failed: 1 failed row\(s\) will be submitted again/);

  const verbose = await runBatchCli(dir, writeCsv(dir, "v.csv", numberedPrompts(2, "A hill")), sim, [
    "--verbose",
  ]);
  assert.equal(verbose.code, 0, verbose.stderr);
  assert.equal(
    verbose.stderr.match(/succeeded → /g)?.length,
    2,
    "--verbose brings back a line per row event",
  );
});

test("--quiet keeps failures, warnings and the final summary; NO_COLOR and --json keep their promises", {
  timeout: 60_000,
}, async (t) => {
  const dir = tempDir(t);
  const sim = await simFor(t);
  const csv = writeCsv(dir, "in.csv", `${numberedPrompts(3, "A cat")}A [fail] scene\n`);
  const run = await runBatchCli(dir, csv, sim, ["--quiet", "--json"]);
  assert.equal(run.code, 1, run.stderr);
  assert.doesNotMatch(run.stderr, /rows \(|balance|Simulator:/, "no start lines");
  assert.match(run.stderr, /line 5: failed: /, "quiet still says which row failed and why");
  assert.match(run.stderr, /Finished after .*: 3 succeeded, 1 failed/);
  const summary = JSON.parse(run.stdout) as { next: string[]; report: string };
  assert.equal(summary.next.length, 1);
  assert.match(summary.next[0] ?? "", /content filter refused line 5: .* --quiet --json$/);
  assert.ok(summary.report.endsWith("in.report.html"));
});

test("a budget stop gives one instruction, the right one: raise --max-cost, with the command", {
  timeout: 60_000,
}, async (t) => {
  const dir = tempDir(t);
  const sim = await simFor(t);
  const csv = writeCsv(dir, "in.csv", numberedPrompts(6, "A boat"));
  const run = await runBatchCli(dir, csv, sim, ["--max-cost", "0.6", "--concurrency", "1"]);
  assert.equal(run.code, 3, run.stderr);
  assert.doesNotMatch(run.stderr, /Run the same command again/);
  assert.equal(run.stderr.match(/Next: /g)?.length, 1);
  assert.match(
    run.stderr,
    /Next: Raise --max-cost to finish \(about \$1\.65 covers the rest\): vidbatch run .* --max-cost 1\.65/,
  );
  const again = await runCli([...runArgs(csv, sim), "--max-cost", "1.65", "--concurrency", "1"], {
    cwd: dir,
    env: { KIE_API_KEY: KEY },
  });
  assert.equal(again.code, 0, again.stderr);
});

test("vidbatch with no command shows the help (with examples); every command has examples; status --failed lists every row that needs attention", {
  timeout: 60_000,
}, async (t) => {
  const bare = await runCli([], { cwd: tempDir(t) });
  assert.equal(bare.code, 2);
  assert.match(bare.stderr, /vidbatch <command> \[options\][\s\S]*Commands:[\s\S]*Examples:/);
  assert.doesNotMatch(bare.stderr, /\.\./);
  for (const command of ["run", "status", "export", "report", "simulate"]) {
    const help = await runCli([command, "--help"], { cwd: tempDir(t) });
    assert.equal(help.code, 0, help.stderr);
    assert.match(help.stdout, /Examples:\n {2}vidbatch /, `${command} --help shows examples`);
  }
  const status = await runCli(["status", "--help"], { cwd: tempDir(t) });
  assert.match(status.stdout, /--json +the summary as one JSON object on stdout/);

  const dir = tempDir(t);
  const sim = await simFor(t);
  const csv = writeCsv(
    dir,
    "in.csv",
    `id,prompt,duration\nok,A calm lake,5\nbad,A [fail] scene,5\nworse,A broken row,7.5\n`,
  );
  await runBatchCli(dir, csv, sim);
  const failed = await runCli(["status", "in.csv", "--failed"], { cwd: dir });
  assert.equal(failed.code, 0, failed.stderr);
  assert.match(
    failed.stdout,
    /2 row\(s\) need attention:\n {2}line 3 \(bad\): failed: .*Invalid prompt.*\n {2}line 4 \(worse\): invalid: line 4, column duration/,
  );
  const json = JSON.parse(
    (await runCli(["status", "in.csv", "--failed", "--json"], { cwd: dir })).stdout,
  ) as {
    failedRows: { line: number; id: string; status: string }[];
  };
  assert.deepEqual(
    json.failedRows.map((r) => [r.line, r.id, r.status]),
    [
      [3, "bad", "failed"],
      [4, "worse", "invalid"],
    ],
  );
});
