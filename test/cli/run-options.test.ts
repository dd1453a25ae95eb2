import assert from "node:assert/strict";
import { parseRunArgv } from "../../src/cli/commands/run.js";
import { DEFAULT_RUN_OPTIONS, type RunOptions, resolveRunOptions } from "../../src/cli/run-options.js";
import { exitCodeFor } from "../../src/run/exit-codes.js";
import { ERROR_CODES, UserError } from "../../src/util/errors.js";
import { test } from "../helpers/leaks.js";

const defaults = { input: "in.csv", ...DEFAULT_RUN_OPTIONS, map: [] };

const TABLE: [string[], Partial<RunOptions>][] = [
  [["in.csv"], {}],
  [["in.csv", "--provider", "kling", "--mode", "pro"], { provider: "kling", mode: "pro" }],
  [
    ["in.csv", "--concurrency", "12.7", "--max-attempts", "2", "--download-concurrency", "1"],
    { concurrency: 12, maxAttempts: 2, downloadConcurrency: 1 },
  ],
  [["in.csv", "--poll-interval", "0.25", "--task-timeout", "2"], { pollInterval: 0.25, taskTimeout: 2 }],
  [
    ["in.csv", "--duration", "10", "--aspect-ratio", "9:16", "--sound"],
    { duration: 10, aspectRatio: "9:16", sound: true },
  ],
  [["in.csv", "--max-cost", "0"], { maxCost: 0 }],
  [
    ["in.csv", "--out", "r.csv", "--ledger", "l.db", "--videos-dir", "v", "--base-url", "http://127.0.0.1:1"],
    { out: "r.csv", ledger: "l.db", videosDir: "v", baseUrl: "http://127.0.0.1:1" },
  ],
  [
    [
      "in.csv",
      "--provider",
      "wireflow",
      "--workflow",
      "wf-1",
      "--map",
      "Character=hero",
      "--map",
      "Style=look",
    ],
    { provider: "wireflow", workflow: "wf-1", map: ["Character=hero", "Style=look"] },
  ],
  [
    ["in.csv", "--dry-run", "--simulate", "--retry-failed", "--resubmit-unknown", "--quiet", "--json"],
    { dryRun: true, simulate: true, retryFailed: true, resubmitUnknown: true, quiet: true, json: true },
  ],
  [
    ["in.csv", "--submit-rate", "20/10s", "--status-rate", "60/min"],
    { submitRate: { max: 20, windowMs: 10_000 }, statusRate: { max: 60, windowMs: 60_000 } },
  ],
  [
    [
      "in.csv",
      "--no-sound",
      "--model",
      "kling-2.6/text-to-video",
      "--task-timeout",
      "2",
      "--task-timeout",
      "0.5",
    ],
    { sound: false, model: "kling-2.6/text-to-video", taskTimeout: 0.5 },
  ],
];

test("argv → options: every flag lands in the one resolved options object, the rest are the defaults", () => {
  for (const [argv, expected] of TABLE) {
    assert.deepEqual(parseRunArgv(argv), { ...defaults, ...expected }, argv.join(" "));
  }
});

test("flags not given (undefined) never override a default; bad values are usage errors naming the flag", () => {
  assert.deepEqual(
    resolveRunOptions({ input: "in.csv", concurrency: undefined, provider: undefined, map: undefined }),
    defaults,
  );
  const usage = (flags: Record<string, unknown>, pattern: RegExp) =>
    assert.throws(
      () => resolveRunOptions({ input: "in.csv", ...flags }),
      (e: UserError) => e instanceof UserError && e.code === "USAGE" && pattern.test(e.message),
    );
  usage({ concurrency: 0 }, /--concurrency must be a number greater than 0/);
  usage({ concurrency: "many" }, /--concurrency/);
  usage({ pollInterval: -1 }, /--poll-interval/);
  usage({ maxCost: -0.5 }, /--max-cost/);
  usage({ duration: 20 }, /--duration must be one of 3, 4, 5, .*, 15/);
  usage({ duration: 7.5 }, /--duration must be one of/);
  usage({ provider: "veo" }, /--provider must be one of kie, kling, wireflow/);
  usage({ submitRate: "fast" }, /--submit-rate must look like 20\/10s/);
  assert.throws(() => parseRunArgv(["in.csv", "--no-such-flag"]), { code: "USAGE" });
});

test("every error code has one exit code: usage and configuration 2, an unreachable provider 3", () => {
  for (const code of ERROR_CODES) assert.ok([2, 3].includes(exitCodeFor(code)), code);
  assert.equal(exitCodeFor("INPUT_UNREADABLE"), 2);
  assert.equal(exitCodeFor("PROVIDER_UNAVAILABLE"), 3);
});
