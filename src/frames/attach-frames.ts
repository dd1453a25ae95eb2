import { pathToFileURL } from "node:url";
import type { InputField, JobSpec, SpecField, SpecProblem } from "../job/job-spec.js";
import { inputField } from "../job/job-spec.js";
import { framePathOf } from "./frame-cell.js";
import type { FrameRules } from "./frame-rules.js";
import type { ImageFormat } from "./image-header.js";
import type { FrameInspector } from "./inspect-frames.js";

type Field = SpecField | InputField;

/** The spec's values that may name a frame, with the field a problem is reported on. */
function frameFields(spec: JobSpec, unsupported: readonly SpecField[]): { field: Field; value: string }[] {
  const fields: { field: Field; value: string }[] = [];
  // A field the provider does not take is not sent (a warning says so): its frame is not checked.
  if (spec.imageUrl && !unsupported.includes("imageUrl"))
    fields.push({ field: "imageUrl", value: spec.imageUrl });
  if (spec.endImageUrl && !unsupported.includes("endImageUrl"))
    fields.push({ field: "endImageUrl", value: spec.endImageUrl });
  for (const [id, value] of Object.entries(spec.inputs ?? {})) fields.push({ field: inputField(id), value });
  return fields;
}

function setField(spec: JobSpec, field: Field, value: string): void {
  if (field === "imageUrl") spec.imageUrl = value;
  else if (field === "endImageUrl") spec.endImageUrl = value;
  else if (field.startsWith("input:") && spec.inputs) spec.inputs[field.slice("input:".length)] = value;
}

const EXTENSION_FORMATS: Record<string, ImageFormat> = {
  jpg: "jpeg",
  jpeg: "jpeg",
  png: "png",
  webp: "webp",
};
const NAMES: Record<ImageFormat, string> = { jpeg: "JPEG", png: "PNG", webp: "WebP" };

/** A web address whose name says it is a format the provider does not take (its bytes are the provider's to read). */
function urlFormatProblem(value: string, rules: FrameRules): string | undefined {
  let pathname: string;
  try {
    pathname = new URL(value).pathname;
  } catch {
    return undefined;
  }
  const format = EXTENSION_FORMATS[/\.([a-z]+)$/i.exec(pathname)?.[1]?.toLowerCase() ?? ""];
  if (!format || rules.formats.includes(format)) return undefined;
  return `"${value.length > 60 ? `${value.slice(0, 59)}…` : value}" is a ${NAMES[format]} image by its name, which ${rules.who} does not take; convert it to ${rules.formats.map((f) => NAMES[f]).join(" or ")}`;
}

/**
 * Checks each frame a spec names against the provider's rules for it (before any spend): a local
 * file by its bytes, recorded in `spec.frames` with the hash it will be uploaded or sent under; a
 * web address by the format its name gives.
 */
export async function attachFrames(
  spec: JobSpec,
  rulesFor: (field: Field) => FrameRules,
  inspector: FrameInspector,
  unsupported: readonly SpecField[] = [],
): Promise<SpecProblem[]> {
  const problems: SpecProblem[] = [];
  for (const { field, value } of frameFields(spec, unsupported)) {
    const rules = rulesFor(field);
    const path = framePathOf(value);
    if (!path) {
      const problem =
        /^https?:/i.test(value) && !field.startsWith("input:") ? urlFormatProblem(value, rules) : undefined;
      if (problem) problems.push({ field, message: problem });
      continue;
    }
    const result = await inspector.inspect(path, rules);
    if ("problem" in result) {
      problems.push({ field, message: result.problem });
      continue;
    }
    // The file was found under another spelling of its name (Unicode form, an invisible character).
    const url = result.path === path ? value : pathToFileURL(result.path).href;
    if (url !== value) setField(spec, field, url);
    spec.frames = { ...spec.frames, [url]: result.frame };
  }
  return problems;
}
