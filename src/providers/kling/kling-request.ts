import { countCharacters } from "../../job/count-characters.js";
import { isImageToVideo, type JobSpec, type Mode, type SpecProblem } from "../../job/job-spec.js";

export const KLING_MAX_PROMPT = 2500;
export const KLING_MODEL_NAME = "kling-v2-6";
/** Spellings of Kling 2.6 a CSV may use: ours, Kling's `model_name`, and KIE's model ids. */
const KLING_26_NAMES = new Set([
  "kling-2.6",
  "kling-v2-6",
  "kling-v2.6",
  "kling-2.6/text-to-video",
  "kling-2.6/image-to-video",
]);

export type KlingKind = "text2video" | "image2video";

export interface KlingCreateBody {
  model_name: typeof KLING_MODEL_NAME;
  prompt: string;
  negative_prompt?: string;
  image?: string;
  image_tail?: string;
  mode: Mode;
  sound: "on" | "off";
  aspect_ratio?: "16:9" | "9:16" | "1:1";
  duration: "5" | "10";
  external_task_id: string;
}

/**
 * The mode a row runs in. An explicit mode (column or --mode) is kept as written, so a mismatch is
 * reported, never silently changed. Without one: `std` (720p, Kling's default) for silent clips;
 * `pro` (1080p) when the row asks for sound or an end frame, the only mode that offers them.
 */
export function klingMode(spec: JobSpec): Mode {
  if (spec.mode) return spec.mode;
  return spec.sound || spec.endImageUrl !== undefined ? "pro" : "std";
}

export function klingKindOf(body: unknown): KlingKind {
  return typeof (body as { image?: unknown } | undefined)?.image === "string" ? "image2video" : "text2video";
}

/** The documented rules for kling-v2-6 (docs/provider-contracts.md, Kling create), as row errors before any request. */
export function checkKlingSpec(spec: JobSpec): SpecProblem[] {
  const problems: SpecProblem[] = [];
  if (!KLING_26_NAMES.has(spec.model))
    problems.push({
      field: "model",
      message: `model "${spec.model}" is not supported on kling; use kling-2.6`,
    });
  const length = countCharacters(spec.prompt);
  if (length > KLING_MAX_PROMPT)
    problems.push({
      field: "prompt",
      message: `the prompt has ${length} characters; Kling allows at most ${KLING_MAX_PROMPT} (Unicode characters: an emoji counts as one). Shorten it`,
    });
  const negative = countCharacters(spec.negativePrompt ?? "");
  if (negative > KLING_MAX_PROMPT)
    problems.push({
      field: "negativePrompt",
      message: `the negative prompt has ${negative} characters; Kling allows at most ${KLING_MAX_PROMPT}`,
    });
  const mode = klingMode(spec);
  if (spec.sound && mode !== "pro")
    problems.push({
      field: "mode",
      message:
        "Kling 2.6 makes sound only in pro mode (1080p; std/720p is silent only). Set mode to pro, or sound to no",
    });
  if (spec.endImageUrl !== undefined) {
    if (mode !== "pro")
      problems.push({
        field: "mode",
        message:
          "an end frame needs pro mode on Kling 2.6 (first/last frame is 1080p only). Set mode to pro, or clear end_image_url",
      });
    if (spec.sound)
      problems.push({
        field: "endImageUrl",
        message:
          "Kling 2.6 makes first/last-frame videos silent only. Set sound to no, or clear end_image_url",
      });
  }
  if (spec.model.endsWith("/image-to-video") && !isImageToVideo(spec))
    problems.push({ field: "imageUrl", message: "image-to-video needs an image URL" });
  if (spec.model.endsWith("/text-to-video") && isImageToVideo(spec))
    problems.push({ field: "model", message: "text-to-video takes no image; clear image_url or the model" });
  return problems;
}

/**
 * The legacy-standard create body (`model_name` in the body): duration and sound are strings,
 * `aspect_ratio` only for text-to-video, `image`/`image_tail` for image-to-video, and the ledger's
 * `external_task_id`, which lets a create whose answer was lost be found again.
 */
export function buildKlingCreateBody(spec: JobSpec, externalId: string): KlingCreateBody {
  const body: KlingCreateBody = {
    model_name: KLING_MODEL_NAME,
    prompt: spec.prompt,
    ...(spec.negativePrompt ? { negative_prompt: spec.negativePrompt } : {}),
    mode: klingMode(spec),
    sound: spec.sound ? "on" : "off",
    duration: spec.duration === 10 ? "10" : "5",
    external_task_id: externalId,
  };
  if (isImageToVideo(spec)) {
    body.image = spec.imageUrl as string;
    if (spec.endImageUrl) body.image_tail = spec.endImageUrl;
  } else body.aspect_ratio = spec.aspectRatio;
  return body;
}
