import { normalizeHeader } from "../input/headers.js";
import { parseBoolean } from "../input/parse-cells.js";
import { UserError } from "../util/errors.js";

/** One input node of a workflow, as `GET /workflows/{id}/run` describes it. */
export interface WorkflowInput {
  nodeId: string;
  label: string;
  type: string;
  required: boolean;
  default?: unknown;
  description?: string;
}

/** Which CSV column (header as written) fills which input node. */
export interface InputBinding {
  input: WorkflowInput;
  column: string;
}

const TEXT_TYPES = new Set(["text", "string", "prompt", "textarea", "long_text"]);
const IMAGE_TYPES = new Set(["image", "image_url", "imageurl", "file", "media"]);
const PROMPT_ALIASES = new Set([
  "prompt",
  "prompts",
  "text",
  "prompt_text",
  "description",
  "caption",
  "video_prompt",
]);
const IMAGE_ALIASES = new Set([
  "image_url",
  "image",
  "image_link",
  "img",
  "img_url",
  "start_image",
  "first_frame",
]);

function hasDefault(input: WorkflowInput): boolean {
  return input.default !== undefined && input.default !== null && input.default !== "";
}

/** Whether the workflow can run without a value for this input. */
export function isOptional(input: WorkflowInput): boolean {
  return !input.required || hasDefault(input);
}

/**
 * Maps CSV columns to the workflow's input nodes, in this order (first match wins):
 * 1. `--map "<nodeId or label>=<column>"`, given on the command line;
 * 2. a column named like the node id or the label (case, spaces and dashes do not matter);
 * 3. the `prompt` column for the text input whose id or label says "prompt" (else the only
 *    required text input), and the `image_url` column for the first image input.
 * A required input without a default that nothing fills is a usage error (exit 2), raised before
 * anything is sent; so is a --map that names no input or no column.
 */
export function bindInputs(
  inputs: readonly WorkflowInput[],
  headers: readonly string[],
  explicit: readonly string[],
  workflowId: string,
): InputBinding[] {
  const byNorm = new Map<string, string>();
  for (const h of headers) if (!byNorm.has(normalizeHeader(h))) byNorm.set(normalizeHeader(h), h);
  const findInput = (name: string) =>
    inputs.find((i) => i.nodeId === name) ??
    inputs.find((i) => normalizeHeader(i.label) === normalizeHeader(name));

  const bound = new Map<string, string>(); // nodeId → header
  for (const pair of explicit) {
    const eq = pair.lastIndexOf("=");
    const name = eq > 0 ? pair.slice(0, eq).trim() : "";
    const column = eq > 0 ? pair.slice(eq + 1).trim() : "";
    const input = name ? findInput(name) : undefined;
    const header = column ? byNorm.get(normalizeHeader(column)) : undefined;
    if (!input)
      throw new UserError(
        `--map "${pair}": workflow ${workflowId} has no input "${name}". Its inputs: ${describeInputs(inputs)}.`,
        2,
        "USAGE_MAP",
      );
    if (!header)
      throw new UserError(
        `--map "${pair}": the CSV has no column "${column}" (its columns: ${headers.map((h) => `"${h}"`).join(", ")}).`,
        2,
        "USAGE_MAP",
      );
    bound.set(input.nodeId, header);
  }
  for (const input of inputs) {
    if (bound.has(input.nodeId)) continue;
    const header = byNorm.get(normalizeHeader(input.nodeId)) ?? byNorm.get(normalizeHeader(input.label));
    if (header) bound.set(input.nodeId, header);
  }
  const used = new Set(bound.values());
  const column = (aliases: Set<string>) =>
    headers.find((h) => aliases.has(normalizeHeader(h)) && !used.has(h));
  const free = (types: Set<string>) =>
    inputs.filter((i) => !bound.has(i.nodeId) && types.has(i.type.toLowerCase()));
  const texts = free(TEXT_TYPES);
  const promptInput =
    texts.find((i) => /prompt/i.test(`${i.nodeId} ${i.label}`)) ??
    (texts.filter((i) => i.required).length === 1 ? texts.find((i) => i.required) : undefined);
  const promptColumn = column(PROMPT_ALIASES);
  if (promptInput && promptColumn) {
    bound.set(promptInput.nodeId, promptColumn);
    used.add(promptColumn);
  }
  const imageInput = free(IMAGE_TYPES)[0];
  const imageColumn = column(IMAGE_ALIASES);
  if (imageInput && imageColumn) bound.set(imageInput.nodeId, imageColumn);

  const missing = inputs.filter((i) => !bound.has(i.nodeId) && !isOptional(i));
  if (missing.length > 0) {
    const lines = missing.map(
      (i) =>
        `"${i.label}" (node ${i.nodeId}, ${i.type}): add a column named "${normalizeHeader(i.label)}", or pass --map "${i.nodeId}=<column>"`,
    );
    throw new UserError(
      `Workflow ${workflowId} needs input${missing.length > 1 ? "s" : ""} that no CSV column fills:\n  ${lines.join("\n  ")}\nNothing was submitted.`,
      2,
      "USAGE_WORKFLOW_INPUT",
    );
  }
  return inputs
    .filter((i) => bound.has(i.nodeId))
    .map((input) => ({ input, column: bound.get(input.nodeId) as string }));
}

function describeInputs(inputs: readonly WorkflowInput[]): string {
  return inputs
    .map((i) => `${i.nodeId} ("${i.label}", ${i.type}${isOptional(i) ? "" : ", required"})`)
    .join(", ");
}

/** A cell as the input's type wants it: numbers and booleans typed, everything else text. */
export function convertCell(input: WorkflowInput, cell: string): { value: unknown } | { problem: string } {
  const type = input.type.toLowerCase();
  if (type === "number" || type === "integer" || type === "float" || type === "int") {
    const n = Number(cell);
    if (cell.trim() === "" || !Number.isFinite(n))
      return {
        problem: `"${cell.slice(0, 20)}" is not a number, but the workflow input "${input.label}" takes one`,
      };
    return { value: n };
  }
  if (type === "boolean" || type === "bool" || type === "toggle") {
    const b = parseBoolean(cell);
    if (b === undefined)
      return { problem: `"${cell.slice(0, 20)}" is not yes or no (input "${input.label}")` };
    return { value: b };
  }
  return { value: cell };
}
