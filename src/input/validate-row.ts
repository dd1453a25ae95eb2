import { readFrameCell } from "../frames/frame-cell.js";
import { parseCameraControl } from "../job/camera-control.js";
import type { JobSpec, SpecDefaults, SpecProblem } from "../job/job-spec.js";
import { parseBoolean } from "../job/parse-boolean.js";
import { type InputBinding, isImageInput } from "./bind-inputs.js";
import { FIELD_COLUMNS, type HeaderMap, type KnownColumn } from "./headers.js";
import {
  parseAspectRatio,
  parseCfgScale,
  parseDuration,
  parseMode,
  parseResolution,
  truncate,
} from "./parse-cells.js";

/** A problem with one cell of one row. `column` is the header as the user wrote it. */
export interface RowProblem {
  column: string;
  message: string;
}

export type RowValidation = { ok: true; spec: JobSpec } | { ok: false; problems: RowProblem[] };

/** Provider-specific checks on an otherwise well-formed spec (prompt length, models, modes). */
export type ProviderCheck = (spec: JobSpec) => SpecProblem[];

/** Where a row's relative frame paths start, and which share links were rewritten (for the log). */
export interface RowContext {
  /** The input file's folder (the current one for an input read from a URL). */
  frameDir: string;
  /** Called for each share link turned into its direct-download form. */
  onRewrite?: (from: string, to: string) => void;
  /** The provider is on this machine (a simulator, a local proxy): image URLs there are reachable. */
  localHostsOk?: boolean;
}

/** The column (as the user wrote it) behind a field a provider or a check names. */
export function columnOfField(
  map: HeaderMap,
  bindings: readonly InputBinding[],
  field: SpecProblem["field"],
): string {
  if (field.startsWith("input:")) {
    const id = field.slice("input:".length);
    return bindings.find((b) => b.input.id === id)?.column ?? id;
  }
  const column = FIELD_COLUMNS[field as keyof typeof FIELD_COLUMNS];
  const i = map.index[column];
  return i === undefined ? column : (map.headers[i] ?? column);
}

export function cellOf(cells: string[], map: HeaderMap, column: KnownColumn): string {
  const i = map.index[column];
  return i === undefined ? "" : (cells[i] ?? "").trim();
}

/**
 * Turns one CSV row into a JobSpec, or lists every problem with it at once (not just the first),
 * each naming the column as the user wrote it and what to do.
 */
export function validateRow(
  cells: string[],
  map: HeaderMap,
  defaults: SpecDefaults,
  check: ProviderCheck,
  bindings: readonly InputBinding[] = [],
  context: RowContext = { frameDir: "." },
): RowValidation {
  const problems: RowProblem[] = [];
  const name = (column: KnownColumn) => {
    const i = map.index[column];
    return i === undefined ? column : (map.headers[i] ?? column);
  };
  const columnOf = (field: SpecProblem["field"]) => columnOfField(map, bindings, field);
  const cell = (column: KnownColumn) => cellOf(cells, map, column);

  // A NUL is binary data, never text anyone meant to send (and would be paid for as such).
  cells.forEach((value, i) => {
    if (value.includes("\u0000"))
      problems.push({
        column: map.headers[i] ?? `column ${i + 1}`,
        message: "the cell holds a NUL character (binary data); save the file as CSV UTF-8 text",
      });
  });
  if (cells.length > map.headers.length && cells.slice(map.headers.length).some((c) => c.trim() !== "")) {
    problems.push({
      column: "(row)",
      message: `the row has ${cells.length} cells but the header has ${map.headers.length}; put quotes around cells that contain the delimiter`,
    });
  }

  const prompt = (map.index.prompt === undefined ? "" : (cells[map.index.prompt] ?? "")).trim();
  if (prompt === "")
    problems.push({
      column: name("prompt"),
      message: "the prompt is empty; write what the video should show",
    });

  /** An image cell as it will be sent: a web address, or a local file as a `file://` URL. */
  const frameOf = (column: string, text: string): string => {
    if (text === "") return "";
    const read = readFrameCell(text, context.frameDir, { localHostsOk: context.localHostsOk === true });
    if (read.kind === "problem") {
      problems.push({ column, message: read.message });
      return "";
    }
    if (read.kind === "url" && read.rewrittenFrom) context.onRewrite?.(read.rewrittenFrom, read.url);
    return read.url;
  };
  const imageUrl = frameOf(name("image_url"), cell("image_url"));
  const endImageUrl = frameOf(name("end_image_url"), cell("end_image_url"));
  if (endImageUrl !== "" && cell("image_url") === "")
    problems.push({
      column: name("end_image_url"),
      message: "an end frame needs a start image in the image_url column",
    });

  /** An optional cell read by `parse`; a value it refuses is a problem named with `hint`. */
  const optional = <T>(column: KnownColumn, parse: (text: string) => T | undefined, hint: string) => {
    const text = cell(column);
    if (text === "") return undefined;
    const value = parse(text);
    if (value === undefined)
      problems.push({ column: name(column), message: `"${truncate(text, 20)}" ${hint}` });
    return value;
  };
  const duration =
    optional("duration", parseDuration, "is not a valid duration; write whole seconds, such as 5 or 10") ??
    defaults.duration;
  const aspectRatio =
    optional("aspect_ratio", parseAspectRatio, "is not a valid aspect ratio; use 16:9, 9:16 or 1:1") ??
    defaults.aspectRatio;
  const sound =
    optional("sound", parseBoolean, "is not yes or no; use true/false, yes/no or on/off") ?? defaults.sound;
  const mode = optional("mode", parseMode, "is not a mode; use std (720p) or pro (1080p)") ?? defaults.mode;
  const resolution = optional(
    "resolution",
    parseResolution,
    "is not a resolution; use one the model takes, such as 720p or 1080p",
  );
  const model = cell("model") || defaults.model;
  const negativePrompt = cell("negative_prompt");
  const cfgScale = optional(
    "cfg_scale",
    parseCfgScale,
    "is not a cfg_scale; use a number from 0 to 1, such as 0.5",
  );
  let cameraControl: JobSpec["cameraControl"];
  if (cell("camera_control") !== "") {
    const parsed = parseCameraControl(cell("camera_control"));
    if ("error" in parsed) problems.push({ column: name("camera_control"), message: parsed.error });
    else cameraControl = parsed.value;
  }

  if (problems.length > 0) return { ok: false, problems };
  const spec: JobSpec = {
    prompt,
    duration,
    aspectRatio,
    sound,
    model,
    ...(imageUrl ? { imageUrl } : {}),
    ...(endImageUrl ? { endImageUrl } : {}),
    ...(negativePrompt ? { negativePrompt } : {}),
    ...(mode ? { mode } : {}),
    ...(resolution ? { resolution } : {}),
    ...(cfgScale !== undefined ? { cfgScale } : {}),
    ...(cameraControl ? { cameraControl } : {}),
  };
  if (bindings.length > 0) {
    const inputs: Record<string, string> = {};
    for (const { input, column } of bindings) {
      const value = (cells[map.headers.indexOf(column)] ?? "").trim();
      if (value === "") continue;
      inputs[input.id] = isImageInput(input) ? frameOf(column, value) : value;
    }
    if (problems.length > 0) return { ok: false, problems };
    spec.inputs = inputs;
  }
  const providerProblems = check(spec).map((p) => ({ column: columnOf(p.field), message: p.message }));
  return providerProblems.length > 0 ? { ok: false, problems: providerProblems } : { ok: true, spec };
}
