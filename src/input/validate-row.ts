import type { HeaderMap, KnownColumn } from "./headers.js";
import type { JobSpec, RowProblem, SpecDefaults } from "./job-spec.js";
import {
  checkImageUrl,
  parseAspectRatio,
  parseBoolean,
  parseDuration,
  parseMode,
  truncate,
} from "./parse-cells.js";

export type RowValidation = { ok: true; spec: JobSpec } | { ok: false; problems: RowProblem[] };

/**
 * Provider-specific checks on an otherwise well-formed spec (prompt length, models, modes). A
 * problem names a known column, or a header as written (for columns in `spec.inputs`).
 */
export type ProviderCheck = (spec: JobSpec) => { column: KnownColumn | string; message: string }[];

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
  inputColumns: readonly number[] = [],
): RowValidation {
  const problems: RowProblem[] = [];
  const name = (column: KnownColumn | string) => {
    const i = map.index[column as KnownColumn];
    return i === undefined ? column : (map.headers[i] ?? column);
  };
  const cell = (column: KnownColumn) => cellOf(cells, map, column);

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

  const imageUrl = cell("image_url");
  if (imageUrl !== "") {
    const bad = checkImageUrl(imageUrl);
    if (bad) problems.push({ column: name("image_url"), message: bad });
  }
  const endImageUrl = cell("end_image_url");
  if (endImageUrl !== "") {
    const bad = checkImageUrl(endImageUrl);
    if (bad) problems.push({ column: name("end_image_url"), message: bad });
    else if (imageUrl === "")
      problems.push({
        column: name("end_image_url"),
        message: "an end frame needs a start image in the image_url column",
      });
  }

  let duration = defaults.duration;
  if (cell("duration") !== "") {
    const d = parseDuration(cell("duration"));
    if (d === undefined)
      problems.push({
        column: name("duration"),
        message: `"${truncate(cell("duration"), 20)}" is not a valid duration; use 5 or 10 (seconds)`,
      });
    else duration = d;
  }
  let aspectRatio = defaults.aspectRatio;
  if (cell("aspect_ratio") !== "") {
    const a = parseAspectRatio(cell("aspect_ratio"));
    if (a === undefined)
      problems.push({
        column: name("aspect_ratio"),
        message: `"${truncate(cell("aspect_ratio"), 20)}" is not a valid aspect ratio; use 16:9, 9:16 or 1:1`,
      });
    else aspectRatio = a;
  }
  let sound = defaults.sound;
  if (cell("sound") !== "") {
    const s = parseBoolean(cell("sound"));
    if (s === undefined)
      problems.push({
        column: name("sound"),
        message: `"${truncate(cell("sound"), 20)}" is not yes or no; use true/false, yes/no or on/off`,
      });
    else sound = s;
  }
  let mode = defaults.mode;
  if (cell("mode") !== "") {
    const m = parseMode(cell("mode"));
    if (m === undefined)
      problems.push({
        column: name("mode"),
        message: `"${truncate(cell("mode"), 20)}" is not a mode; use std (720p) or pro (1080p)`,
      });
    else mode = m;
  }
  const model = cell("model") || defaults.model;
  const negativePrompt = cell("negative_prompt");

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
  };
  if (inputColumns.length > 0) {
    const inputs: Record<string, string> = {};
    for (const i of inputColumns) {
      const value = (cells[i] ?? "").trim();
      if (value !== "") inputs[map.headers[i] as string] = value;
    }
    spec.inputs = inputs;
  }
  const providerProblems = check(spec).map((p) => ({ column: name(p.column), message: p.message }));
  return providerProblems.length > 0 ? { ok: false, problems: providerProblems } : { ok: true, spec };
}
