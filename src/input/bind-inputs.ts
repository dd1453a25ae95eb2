import { isOptional, type ProviderInput } from "../job/provider-input.js";
import { UserError } from "../util/errors.js";
import { setting } from "../util/setting-name.js";
import { KNOWN_COLUMNS, mapPairs, normalizeHeader } from "./headers.js";

/** Which CSV column (header as written) fills which of the provider's named inputs. */
export interface InputBinding {
  input: ProviderInput;
  column: string;
}

const TEXT_TYPES = new Set(["text", "string", "prompt", "textarea", "long_text"]);
const IMAGE_TYPES = new Set(["image", "image_url", "imageurl", "file", "media"]);

/** Whether an input takes an image (its cell may name a local file, uploaded before the run). */
export function isImageInput(input: ProviderInput): boolean {
  return IMAGE_TYPES.has(input.type.toLowerCase());
}
const PROMPT_ALIASES = new Set<string>(KNOWN_COLUMNS.prompt);
const IMAGE_ALIASES = new Set([
  "image_url",
  "image",
  "image_link",
  "img",
  "img_url",
  "start_image",
  "first_frame",
]);

/**
 * Maps CSV columns to the provider's named inputs (a workflow's input nodes), in this order (first match wins):
 * 1. `--map "<id or label>=<column>"`, given on the command line;
 * 2. a column named like the id or the label (case, spaces and dashes do not matter);
 * 3. the `prompt` column for the text input whose id or label says "prompt" (else the only
 *    required text input), and the `image_url` column for the first image input.
 * A required input without a default that nothing fills is a usage error (exit 2), raised before
 * anything is sent; so is a --map that names no input or no column.
 */
export function bindInputs(
  inputs: readonly ProviderInput[],
  headers: readonly string[],
  explicit: readonly string[],
  workflowId: string,
): InputBinding[] {
  const byNorm = new Map<string, string>();
  for (const h of headers) if (!byNorm.has(normalizeHeader(h))) byNorm.set(normalizeHeader(h), h);
  const findInput = (name: string) =>
    inputs.find((i) => i.id === name) ??
    inputs.find((i) => normalizeHeader(i.label) === normalizeHeader(name));

  const bound = new Map<string, string>(); // id → header
  // One reading of --map for every provider (headers.ts): repeatable, several pairs per value.
  for (const { target: name, column, pair } of mapPairs(explicit)) {
    const input = name ? findInput(name) : undefined;
    const header = column ? byNorm.get(normalizeHeader(column)) : undefined;
    if (!input)
      throw new UserError(
        "USAGE_MAP",
        `${setting("map")} "${pair}": workflow ${workflowId} has no input "${name}". Its inputs: ${describeInputs(inputs)}.`,
      );
    if (!header)
      throw new UserError(
        "USAGE_MAP",
        `${setting("map")} "${pair}": the CSV has no column "${column}" (its columns: ${headers.map((h) => `"${h}"`).join(", ")}).`,
      );
    bound.set(input.id, header);
  }
  for (const input of inputs) {
    if (bound.has(input.id)) continue;
    const header = byNorm.get(normalizeHeader(input.id)) ?? byNorm.get(normalizeHeader(input.label));
    if (header) bound.set(input.id, header);
  }
  const used = new Set(bound.values());
  const column = (aliases: Set<string>) =>
    headers.find((h) => aliases.has(normalizeHeader(h)) && !used.has(h));
  const free = (types: Set<string>) =>
    inputs.filter((i) => !bound.has(i.id) && types.has(i.type.toLowerCase()));
  const texts = free(TEXT_TYPES);
  const promptInput =
    texts.find((i) => /prompt/i.test(`${i.id} ${i.label}`)) ??
    (texts.filter((i) => i.required).length === 1 ? texts.find((i) => i.required) : undefined);
  const promptColumn = column(PROMPT_ALIASES);
  if (promptInput && promptColumn) {
    bound.set(promptInput.id, promptColumn);
    used.add(promptColumn);
  }
  const imageInput = free(IMAGE_TYPES)[0];
  const imageColumn = column(IMAGE_ALIASES);
  if (imageInput && imageColumn) bound.set(imageInput.id, imageColumn);

  const missing = inputs.filter((i) => !bound.has(i.id) && !isOptional(i));
  if (missing.length > 0) {
    const lines = missing.map(
      (i) =>
        `"${i.label}" (node ${i.id}, ${i.type}): add a column named "${normalizeHeader(i.label)}", or pass ${setting("map")} "${i.id}=<column>"`,
    );
    throw new UserError(
      "USAGE_WORKFLOW_INPUT",
      `Workflow ${workflowId} needs input${missing.length > 1 ? "s" : ""} that no CSV column fills:\n  ${lines.join("\n  ")}\nNothing was submitted.`,
    );
  }
  return inputs
    .filter((i) => bound.has(i.id))
    .map((input) => ({ input, column: bound.get(input.id) as string }));
}

function describeInputs(inputs: readonly ProviderInput[]): string {
  return inputs
    .map((i) => `${i.id} ("${i.label}", ${i.type}${isOptional(i) ? "" : ", required"})`)
    .join(", ");
}
