import assert from "node:assert/strict";
import { bindInputs } from "../../src/input/bind-inputs.js";
import { exitCodeFor } from "../../src/run/exit-codes.js";
import { UserError } from "../../src/util/errors.js";
import { test } from "../helpers/leaks.js";
import { STORY_INPUTS } from "../helpers/workflow-inputs.js";

const INPUTS = STORY_INPUTS;

const mapped = (headers: string[], explicit: string[] = []) =>
  Object.fromEntries(bindInputs(INPUTS, headers, explicit, "wf").map((b) => [b.input.id, b.column]));

test("columns match inputs by node id or label, then prompt and image by role", () => {
  assert.deepEqual(mapped(["prompt", "Character", "image_url", "duration", "notes"]), {
    "node-scene": "prompt",
    "node-character": "Character",
    "node-ref": "image_url",
    "node-seconds": "duration",
  });
  assert.deepEqual(mapped(["Prompt", "node-character", "STYLE"]), {
    "node-scene": "Prompt",
    "node-character": "node-character",
    "node-style": "STYLE",
  });
});

test("--map wins over names; a bad --map or a required input nothing fills is a usage error", () => {
  assert.deepEqual(mapped(["prompt", "hero", "character"], ["Character=hero"]), {
    "node-scene": "prompt",
    "node-character": "hero",
  });
  assert.throws(
    () => mapped(["prompt"]),
    (e: UserError) =>
      e instanceof UserError &&
      exitCodeFor(e.code) === 2 &&
      /"Character" \(node node-character, text\)/.test(e.message) &&
      /`map` "node-character=<column>"/.test(e.message),
  );
  assert.throws(() => mapped(["prompt", "hero"], ["Villain=hero"]), /has no input "Villain"/);
  assert.throws(() => mapped(["prompt", "hero"], ["Character=nope"]), /the CSV has no column "nope"/);
});
