import assert from "node:assert/strict";
import type { ProviderInput } from "../../../src/job/provider-input.js";
import { convertCell } from "../../../src/providers/wireflow/wireflow-inputs.js";
import { test } from "../../helpers/leaks.js";

const INPUTS: ProviderInput[] = [
  { id: "node-scene", label: "Scene prompt", type: "text", required: true },
  { id: "node-character", label: "Character", type: "text", required: true },
  { id: "node-style", label: "Style", type: "text", required: false, default: "cinematic" },
  { id: "node-ref", label: "Reference", type: "image", required: false },
  { id: "node-seconds", label: "Duration", type: "number", required: false, default: 5 },
];

test("cells are typed for their input", () => {
  const number = INPUTS[4] as ProviderInput;
  assert.deepEqual(convertCell(number, "10"), { value: 10 });
  assert.ok("problem" in convertCell(number, "ten"));
  assert.deepEqual(convertCell(INPUTS[0] as ProviderInput, "A hero"), { value: "A hero" });
  assert.deepEqual(convertCell({ id: "b", label: "Loop", type: "boolean", required: false }, "yes"), {
    value: true,
  });
});
