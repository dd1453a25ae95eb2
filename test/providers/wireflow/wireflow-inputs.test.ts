import assert from "node:assert/strict";
import type { ProviderInput } from "../../../src/job/provider-input.js";
import { convertCell } from "../../../src/providers/wireflow/wireflow-inputs.js";
import { test } from "../../helpers/leaks.js";
import { STORY_INPUTS } from "../../helpers/workflow-inputs.js";

const INPUTS = STORY_INPUTS;

test("cells are typed for their input", () => {
  const number = INPUTS[4] as ProviderInput;
  assert.deepEqual(convertCell(number, "10"), { value: 10 });
  assert.ok("problem" in convertCell(number, "ten"));
  assert.deepEqual(convertCell(INPUTS[0] as ProviderInput, "A hero"), { value: "A hero" });
  assert.deepEqual(convertCell({ id: "b", label: "Loop", type: "boolean", required: false }, "yes"), {
    value: true,
  });
});
