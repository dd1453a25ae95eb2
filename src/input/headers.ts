import type { SpecField } from "../job/job-spec.js";
import { UserError } from "../util/errors.js";
import { setting } from "../util/setting-name.js";

/** The columns vidbatch understands, and the header spellings users actually write for them. */
export const KNOWN_COLUMNS = {
  prompt: ["prompt", "prompts", "text", "prompt_text", "description", "caption", "video_prompt"],
  image_url: [
    "image_url",
    "image",
    "image_link",
    "imageurl",
    "img",
    "img_url",
    "start_image",
    "first_frame",
    "first_frame_url",
    "input_image",
    "image_uri",
  ],
  end_image_url: [
    "end_image_url",
    "end_image",
    "image_tail",
    "end_frame",
    "last_frame",
    "last_frame_url",
    "tail_image",
  ],
  id: [
    "id",
    "key",
    "row_id",
    "name",
    "filename",
    "file_name",
    "slug",
    "uid",
    "shot_id",
    "shot",
    "clip",
    "clip_id",
    "scene",
    "scene_id",
  ],
  duration: ["duration", "length", "seconds", "duration_s", "duration_seconds", "secs"],
  aspect_ratio: ["aspect_ratio", "aspect", "ratio", "aspectratio"],
  sound: ["sound", "audio", "with_sound", "with_audio", "sfx"],
  negative_prompt: ["negative_prompt", "negative", "neg_prompt", "negative_prompts"],
  mode: ["mode", "quality"],
  resolution: ["resolution", "res", "video_resolution"],
  model: ["model", "model_name"],
  cfg_scale: ["cfg_scale", "cfg", "cfgscale", "guidance", "guidance_scale"],
  camera_control: ["camera_control", "camera", "camera_move", "camera_movement", "camera_motion"],
} as const;

export type KnownColumn = keyof typeof KNOWN_COLUMNS;

/** The column that holds each field of a JobSpec. */
export const FIELD_COLUMNS: Record<SpecField, KnownColumn> = {
  prompt: "prompt",
  imageUrl: "image_url",
  endImageUrl: "end_image_url",
  duration: "duration",
  aspectRatio: "aspect_ratio",
  sound: "sound",
  negativePrompt: "negative_prompt",
  mode: "mode",
  model: "model",
  cfgScale: "cfg_scale",
  cameraControl: "camera_control",
  resolution: "resolution",
};

/** The columns that define what a row asks for (not its id, not pass-through notes). */
export const GENERATION_COLUMNS: readonly KnownColumn[] = [
  "prompt",
  "image_url",
  "end_image_url",
  "duration",
  "aspect_ratio",
  "sound",
  "negative_prompt",
  "mode",
  "model",
];

/**
 * Generation columns added after ledgers existed: part of a row's identity only when filled, so a
 * row that leaves them empty keeps the key it always had.
 */
export const LATER_GENERATION_COLUMNS: readonly KnownColumn[] = ["cfg_scale", "camera_control", "resolution"];

/** Columns the results CSV appends; input columns of the same name are not passed through. */
export const RESULT_COLUMNS = [
  "status",
  "task_id",
  "video_path",
  "video_url",
  "cost_usd",
  "attempts",
  "error",
  // The results' model column is named so when the input has its own model column.
  "model_used",
  "submitted_at",
  "finished_at",
  "generation_seconds",
  "review_mark",
  "review_note",
] as const;

export function normalizeHeader(raw: string): string {
  return raw
    .replace(/^\uFEFF/, "")
    .trim()
    .toLowerCase()
    .replace(/[\s\-./]+/g, "_")
    .replace(/[()[\]]/g, "");
}

export interface HeaderMap {
  /** Header cells exactly as written (trimmed), in file order. */
  headers: string[];
  /** Index of each known column in `headers`. */
  index: Partial<Record<KnownColumn, number>>;
  /** Indexes of the columns passed through to the results (all but our result columns). */
  passThrough: number[];
  /** Headers that appear twice (after normalising); the first one wins. */
  duplicates: string[];
}

export function mapHeaders(rawHeaders: string[]): HeaderMap {
  const headers = rawHeaders.map((h) => h.replace(/^\uFEFF/, "").trim());
  const index: Partial<Record<KnownColumn, number>> = {};
  const seen = new Set<string>();
  const duplicates: string[] = [];
  const passThrough: number[] = [];
  headers.forEach((header, i) => {
    const norm = normalizeHeader(header);
    if (seen.has(norm)) duplicates.push(header);
    seen.add(norm);
    if (!(RESULT_COLUMNS as readonly string[]).includes(norm)) passThrough.push(i);
    for (const [column, aliases] of Object.entries(KNOWN_COLUMNS) as [KnownColumn, readonly string[]][]) {
      if (index[column] === undefined && aliases.includes(norm)) index[column] = i;
    }
  });
  return { headers, index, passThrough, duplicates };
}

/** `--map` values as given: repeatable, and each may hold several `field=Column` pairs. */
export function mapPairs(values: readonly string[]): { target: string; column: string; pair: string }[] {
  return values
    .flatMap((v) => v.split(/,(?=\s*[\w .-]+=)/))
    .map((pair) => {
      const at = pair.indexOf("=");
      if (at <= 0)
        throw new UserError(
          "USAGE_MAP",
          `${setting("map")} "${pair}" is not field=column (e.g. prompt=Script).`,
        );
      return {
        target: pair.slice(0, at).trim(),
        column: pair
          .slice(at + 1)
          .trim()
          .replace(/^"(.*)"$/, "$1"),
        pair,
      };
    });
}

/**
 * Applies `--map prompt=Script,image_url="Frame URL"`: each known field is read from the named
 * column, whatever the header says. A pair for an unknown field, or a column the file does not
 * have, is a usage error naming both.
 */
export function applyColumnMap(map: HeaderMap, values: readonly string[]): void {
  for (const { target, column, pair } of mapPairs(values)) {
    const norm = normalizeHeader(target);
    const field = (Object.entries(KNOWN_COLUMNS) as [KnownColumn, readonly string[]][]).find(
      ([name, aliases]) => name === norm || aliases.includes(norm),
    )?.[0];
    if (!field)
      throw new UserError(
        "USAGE_MAP",
        `${setting("map")} "${pair}": "${target}" is not a field vidbatch reads. Fields: ${Object.keys(KNOWN_COLUMNS).join(", ")}.`,
      );
    const i = map.headers.findIndex((h) => normalizeHeader(h) === normalizeHeader(column));
    if (i < 0)
      throw new UserError(
        "USAGE_MAP",
        `${setting("map")} "${pair}": the input has no column "${column}" (its columns: ${map.headers.map((h) => `"${h}"`).join(", ")}).`,
      );
    map.index[field] = i;
  }
}
