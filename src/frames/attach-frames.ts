import type { InputField, JobSpec, SpecField, SpecProblem } from "../job/job-spec.js";
import { inputField } from "../job/job-spec.js";
import { framePathOf } from "./frame-cell.js";
import type { FrameRules } from "./frame-rules.js";
import type { FrameInspector } from "./inspect-frames.js";

/** The spec's values that may name a local frame, with the field a problem is reported on. */
function frameFields(spec: JobSpec): { field: SpecField | InputField; value: string }[] {
  const fields: { field: SpecField | InputField; value: string }[] = [];
  if (spec.imageUrl) fields.push({ field: "imageUrl", value: spec.imageUrl });
  if (spec.endImageUrl) fields.push({ field: "endImageUrl", value: spec.endImageUrl });
  for (const [id, value] of Object.entries(spec.inputs ?? {})) fields.push({ field: inputField(id), value });
  return fields;
}

/**
 * Checks each local frame a spec names against the provider's rules for it (before any spend) and
 * records what was checked in `spec.frames`: the hash it will be uploaded or sent under.
 */
export async function attachFrames(
  spec: JobSpec,
  rules: FrameRules,
  inspector: FrameInspector,
): Promise<SpecProblem[]> {
  const problems: SpecProblem[] = [];
  for (const { field, value } of frameFields(spec)) {
    const path = framePathOf(value);
    if (!path) continue;
    const result = await inspector.inspect(path, rules);
    if ("problem" in result) problems.push({ field, message: result.problem });
    else spec.frames = { ...spec.frames, [value]: result.frame };
  }
  return problems;
}
