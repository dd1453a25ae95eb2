import assert from "node:assert/strict";
import { test } from "node:test";
import { bindInputs, convertCell, type WorkflowInput } from "../../src/providers/wireflow-inputs.js";
import { UserError } from "../../src/util/errors.js";

const INPUTS: WorkflowInput[] = [
  { nodeId: "node-scene", label: "Scene prompt", type: "text", required: true },
  { nodeId: "node-character", label: "Character", type: "text", required: true },
  { nodeId: "node-style", label: "Style", type: "text", required: false, default: "cinematic" },
  { nodeId: "node-ref", label: "Reference", type: "image", required: false },
  { nodeId: "node-seconds", label: "Duration", type: "number", required: false, default: 5 },
];

const mapped = (headers: string[], explicit: string[] = []) =>
  Object.fromEntries(bindInputs(INPUTS, headers, explicit, "wf").map((b) => [b.input.nodeId, b.column]));

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
      e.exitCode === 2 &&
      /"Character" \(node node-character, text\)/.test(e.message) &&
      /--map "node-character=<column>"/.test(e.message),
  );
  assert.throws(() => mapped(["prompt", "hero"], ["Villain=hero"]), /has no input "Villain"/);
  assert.throws(() => mapped(["prompt", "hero"], ["Character=nope"]), /the CSV has no column "nope"/);
});

test("cells are typed for their input", () => {
  const number = INPUTS[4] as WorkflowInput;
  assert.deepEqual(convertCell(number, "10"), { value: 10 });
  assert.ok("problem" in convertCell(number, "ten"));
  assert.deepEqual(convertCell(INPUTS[0] as WorkflowInput, "A hero"), { value: "A hero" });
  assert.deepEqual(convertCell({ nodeId: "b", label: "Loop", type: "boolean", required: false }, "yes"), {
    value: true,
  });
});
