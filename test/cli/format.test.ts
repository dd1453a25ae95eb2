import assert from "node:assert/strict";
import { shellLine, wordNextSteps } from "../../src/cli/run/next-steps.js";
import { type RunLeft, nextSteps as stepsFor } from "../../src/run/next-steps.js";

/** The steps as the CLI words them for this command line. */
const nextSteps = (argv: readonly string[], left: RunLeft) => wordNextSteps(argv, stepsFor(left));

import { formatUnitUsd, formatUsd } from "../../src/util/format-usd.js";
import { test } from "../helpers/leaks.js";

test("money has one rounding rule: half a cent up, whatever floating point made of the sum", () => {
  assert.equal(formatUsd(3.025), "$3.03");
  assert.equal(formatUsd(0.275 * 11), "$3.03");
  assert.equal(formatUsd(1.005), "$1.01");
  assert.equal(formatUsd(0.1 + 0.2), "$0.30");
  assert.equal(formatUsd(0), "$0.00");
  assert.equal(formatUsd(1234.5), "$1234.50");
});

test("the next command is the one given, minus trial flags, plus what the situation needs", () => {
  const outcome = { submitted: 3, interrupted: false, unresolved: 0, unpriced: 0, tooLarge: 0 };
  const argv = ["run", "my prompts.csv", "--limit", "3", "--max-cost=5", "--retry-failed"];
  assert.equal(
    shellLine(["run", "my prompts.csv", "--map", "prompt=Script"]),
    "run 'my prompts.csv' --map prompt=Script",
  );
  assert.deepEqual(
    nextSteps(argv, {
      counts: { succeeded: 3, pending: 5 },
      outcome,
      spentUsd: 0.83,
      remainingUsd: 1.38,
      refusedLines: [],
    }),
    ["Resume (finished rows are not paid again): vidbatch run 'my prompts.csv' --max-cost=5"],
  );
  const budget = { ...outcome, stopReason: { code: "budget" as const, message: "budget reached" } };
  assert.deepEqual(
    nextSteps(argv, {
      counts: { succeeded: 3, pending: 5, failed: 1 },
      outcome: budget,
      spentUsd: 0.825,
      remainingUsd: 1.375,
      refusedLines: [],
    }),
    [
      "Raise --max-cost to finish (about $2.20 covers the rest): vidbatch run 'my prompts.csv' --max-cost 2.20",
      "Retry the 1 failed row(s) (up to --max-attempts each): vidbatch run 'my prompts.csv' --max-cost=5 --retry-failed",
    ],
  );
  // A row the content filter refused is not offered to --retry-failed: its prompt needs an edit.
  assert.deepEqual(
    nextSteps(["run", "in.csv"], {
      counts: { succeeded: 3, failed: 3 },
      outcome,
      spentUsd: 1,
      remainingUsd: 0,
      refusedLines: [4, 7],
    }),
    [
      "Retry the 1 failed row(s) (up to --max-attempts each): vidbatch run in.csv --retry-failed",
      "The provider's content filter refused lines 4, 7: the same prompt would be refused again, so edit the prompt on those lines; the next run submits an edited row again: vidbatch run in.csv",
    ],
  );
});

test("a unit price shows its tenth of a cent, so unit × rows adds up to the subtotal", () => {
  assert.equal(formatUnitUsd(0.275), "$0.275");
  assert.equal(formatUnitUsd(0.28), "$0.28");
  assert.equal(formatUnitUsd(1.4), "$1.40");
  assert.equal(formatUnitUsd(0.1125), "$0.113");
});
