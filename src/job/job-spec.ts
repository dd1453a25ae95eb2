import type { CameraControl } from "./camera-control.js";

/** Whole seconds any documented model takes (3 to 15); each model narrows these (most: 5 or 10). */
export const DURATIONS: readonly number[] = Array.from({ length: 13 }, (_, i) => i + 3);
export type Duration = number;
export const ASPECT_RATIOS = ["16:9", "9:16", "1:1"] as const;
export type AspectRatio = (typeof ASPECT_RATIOS)[number];
export const MODES = ["std", "pro"] as const;
/** Output resolutions models document (each takes a few: Kling 720p/1080p/4k, Hailuo 768p/1080p, …). */
export const RESOLUTIONS = ["480p", "512p", "720p", "768p", "1080p", "4k"] as const;
export type Resolution = (typeof RESOLUTIONS)[number];
export type Mode = (typeof MODES)[number];
/** The model a row asks for when neither its cell nor --model names one. */
export const DEFAULT_MODEL = "kling-2.6";

/**
 * One job's generation request, validated and with defaults applied. Provider-neutral, and
 * neutral about where it came from: input/ builds it from a spreadsheet row, providers read it.
 */
export interface JobSpec {
  prompt: string;
  imageUrl?: string;
  endImageUrl?: string;
  duration: Duration;
  aspectRatio: AspectRatio;
  sound: boolean;
  negativePrompt?: string;
  mode?: Mode;
  /** The output resolution, where the model lets one choose (for Kling: 720p is std, 1080p pro). */
  resolution?: Resolution;
  model: string;
  /** Kling's prompt adherence, 0 to 1 (only some models take it). */
  cfgScale?: number;
  /** Kling's camera move (only some models take it). */
  cameraControl?: CameraControl;
  /** Values for a provider's named inputs (Wireflow's workflow inputs), by input id, as written. */
  inputs?: Record<string, string>;
  /**
   * The local image files this spec names (imageUrl, endImageUrl or an image input holding a
   * `file://` URL), by that URL, as they were checked when planned. The hash is the file's identity:
   * what is uploaded (once per account) or sent inline, and what a changed file no longer matches.
   */
  frames?: Record<string, LocalFrame>;
}

/** A local image file as checked before any spend. */
export interface LocalFrame {
  /** SHA-256 of the whole file, hex. */
  sha256: string;
  bytes: number;
  format: "jpeg" | "png" | "webp";
  width: number;
  height: number;
}

/** The fields of a spec a provider may find fault with. */
export type SpecField = Exclude<keyof JobSpec, "inputs" | "frames">;

/** A named input of the provider's (see ProviderInput), as a problem's subject: `input:<id>`. */
export type InputField = `input:${string}`;

/** Something a provider cannot accept in a spec; input/ names the user's column for `field`. */
export interface SpecProblem {
  field: SpecField | InputField;
  message: string;
}

/** Defaults for jobs that leave a field unset (from the command line). */
export interface SpecDefaults {
  duration: Duration;
  aspectRatio: AspectRatio;
  sound: boolean;
  model: string;
  mode?: Mode;
}

export function isImageToVideo(spec: JobSpec): boolean {
  return spec.imageUrl !== undefined;
}

export function inputField(id: string): InputField {
  return `input:${id}`;
}
