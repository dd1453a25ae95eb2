export const DURATIONS = [5, 10] as const;
export type Duration = (typeof DURATIONS)[number];
export const ASPECT_RATIOS = ["16:9", "9:16", "1:1"] as const;
export type AspectRatio = (typeof ASPECT_RATIOS)[number];
export type Mode = "std" | "pro";

/** One row's generation request, validated and with defaults applied; provider-neutral. */
export interface JobSpec {
  prompt: string;
  imageUrl?: string;
  endImageUrl?: string;
  duration: Duration;
  aspectRatio: AspectRatio;
  sound: boolean;
  negativePrompt?: string;
  mode?: Mode;
  model: string;
  /** Raw cells of further columns a provider reads (Wireflow's workflow inputs), by header as written. */
  inputs?: Record<string, string>;
}

/** Defaults for rows that leave a column empty (from the command line). */
export interface SpecDefaults {
  duration: Duration;
  aspectRatio: AspectRatio;
  sound: boolean;
  model: string;
  mode?: Mode;
}

/** A problem with one cell of one row. `column` is the header as the user wrote it. */
export interface RowProblem {
  column: string;
  message: string;
}

export function isImageToVideo(spec: JobSpec): boolean {
  return spec.imageUrl !== undefined;
}
