import type { CameraControl } from "../../job/camera-control.js";
import { countCharacters } from "../../job/count-characters.js";
import { isImageToVideo, type JobSpec, type Mode, type SpecProblem } from "../../job/job-spec.js";
import { setting } from "../../util/setting-name.js";
import { findKlingModel, type KlingModel, klingModelNames } from "./kling-models.js";

export const KLING_MAX_PROMPT = 2500;

export type KlingKind = "text2video" | "image2video";

export interface KlingCreateBody {
  model_name: string;
  prompt: string;
  negative_prompt?: string;
  image?: string;
  image_tail?: string;
  mode?: Mode;
  sound?: "on" | "off";
  aspect_ratio?: "16:9" | "9:16" | "1:1";
  duration: string;
  cfg_scale?: number;
  camera_control?: CameraControl;
  external_task_id: string;
}

/**
 * The mode a row runs in. An explicit mode (column or --mode) is kept as written, so a mismatch is
 * reported, never silently changed. Without one: `std` (720p, Kling's default) for silent clips;
 * `pro` (1080p) when the row asks for what the model offers only in pro. Undefined for a model
 * with a single quality (the masters), which takes no `mode`.
 */
export function klingMode(spec: JobSpec, model = findKlingModel(spec.model)): Mode | undefined {
  if (spec.mode) return spec.mode;
  if (!model || model.modes.length === 0) return undefined;
  // Kling maps its modes to resolutions: 720p is std, 1080p (and 4k, which is above it) pro.
  if (spec.resolution === "720p") return "std";
  if (spec.resolution === "1080p" || spec.resolution === "4k") return "pro";
  const needsPro =
    (spec.sound && model.sound === "pro") ||
    (spec.endImageUrl !== undefined && model.endFrame !== undefined && !model.endFrame.modes.includes("std"));
  return needsPro ? "pro" : "std";
}

export function klingKindOf(body: unknown): KlingKind {
  return typeof (body as { image?: unknown } | undefined)?.image === "string" ? "image2video" : "text2video";
}

/**
 * The documented rules of the row's model (docs/provider-contracts.md, Kling models), as row
 * errors before any request; each message names the model and the rule.
 */
export function checkKlingSpec(spec: JobSpec): SpecProblem[] {
  const problems: SpecProblem[] = [];
  const model = findKlingModel(spec.model);
  if (!model)
    return [
      {
        field: "model",
        message: `"${spec.model}" is not a Kling model the official API documents; use one of ${klingModelNames()} (spellings like kling-2.1 or "Kling V2.5 Turbo" work too)`,
      },
    ];
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
  problems.push(...checkModelRules(spec, model));
  if (spec.model.endsWith("/image-to-video") && !isImageToVideo(spec))
    problems.push({ field: "imageUrl", message: "image-to-video needs an image URL" });
  if (spec.model.endsWith("/text-to-video") && isImageToVideo(spec))
    problems.push({ field: "model", message: "text-to-video takes no image; clear image_url or the model" });
  return problems;
}

function checkModelRules(spec: JobSpec, model: KlingModel): SpecProblem[] {
  const problems: SpecProblem[] = [];
  const name = `${model.label} (${model.modelName})`;
  const mode = klingMode(spec, model);
  if (model.modes.length === 0 && spec.mode)
    problems.push({
      field: "mode",
      message: `${name} has one quality and takes no mode; clear the mode (or ${setting("mode")})`,
    });
  if (!model.durations.includes(spec.duration))
    problems.push({
      field: "duration",
      message: `${name} makes ${describeDurations(model.durations)} videos, not ${spec.duration} s`,
    });
  if (spec.sound) {
    if (model.sound === "no")
      problems.push({ field: "sound", message: `${name} makes silent videos only; set sound to no` });
    else if (model.sound === "pro" && mode !== "pro")
      problems.push({
        field: "mode",
        message: `${name} makes sound only in pro mode (1080p; std/720p is silent only). Set mode to pro, or sound to no`,
      });
  }
  if (model.imageOnly && !isImageToVideo(spec))
    problems.push({
      field: "imageUrl",
      message: `${name} makes image-to-video only; give a start image in image_url, or use another model for text-to-video`,
    });
  if (spec.cfgScale !== undefined && !model.cfgScale)
    problems.push({
      field: "cfgScale",
      message: `${name} takes no cfg_scale (Kling documents it for the v1.x models only); clear it`,
    });
  if (spec.endImageUrl !== undefined) {
    const end = model.endFrame;
    if (!end)
      problems.push({ field: "endImageUrl", message: `${name} takes no end frame; clear end_image_url` });
    else {
      if (mode === undefined || !end.modes.includes(mode))
        problems.push({
          field: "mode",
          message: `an end frame needs ${end.modes.join(" or ")} mode on ${name}. Set mode to ${end.modes[0]}, or clear end_image_url`,
        });
      if (end.durations && !end.durations.includes(spec.duration))
        problems.push({
          field: "duration",
          message: `an end frame on ${name} works for ${describeDurations(end.durations)} videos only`,
        });
      if (end.silentOnly && spec.sound)
        problems.push({
          field: "endImageUrl",
          message: `${name} makes first/last-frame videos silent only. Set sound to no, or clear end_image_url`,
        });
    }
  }
  if (spec.cameraControl) {
    const camera = model.camera;
    if (!camera)
      problems.push({
        field: "cameraControl",
        message: `${name} takes no camera_control (Kling documents it for kling-v1 in std mode, 5 s); clear it or change the model`,
      });
    else if (mode === undefined || !camera.modes.includes(mode) || !camera.durations.includes(spec.duration))
      problems.push({
        field: "cameraControl",
        message: `camera_control on ${name} works in ${camera.modes.join("/")} mode for ${describeDurations(camera.durations)} videos only`,
      });
    if (spec.endImageUrl !== undefined)
      problems.push({
        field: "cameraControl",
        message: "Kling takes a camera move or an end frame, not both; clear camera_control or end_image_url",
      });
  }
  return problems;
}

function describeDurations(durations: readonly number[]): string {
  if (durations.length > 3) return `${durations[0]} to ${durations.at(-1)} s`;
  return `${durations.join(" or ")} s`;
}

/**
 * The legacy-standard create body (`model_name` in the body): duration and sound are strings,
 * `aspect_ratio` only for text-to-video, `image`/`image_tail` for image-to-video, `sound` only for
 * models that make it, `mode` only for models that have modes, and the ledger's
 * `external_task_id`, which lets a create whose answer was lost be found again.
 */
export function buildKlingCreateBody(spec: JobSpec, externalId: string): KlingCreateBody {
  const model = findKlingModel(spec.model);
  if (!model) throw new Error(`no Kling model for "${spec.model}" (checkKlingSpec refuses such rows)`);
  const mode = klingMode(spec, model);
  const body: KlingCreateBody = {
    model_name: model.modelName,
    prompt: spec.prompt,
    ...(spec.negativePrompt ? { negative_prompt: spec.negativePrompt } : {}),
    ...(mode ? { mode } : {}),
    ...(model.sound !== "no" ? { sound: spec.sound ? "on" : "off" } : {}),
    duration: String(spec.duration),
    ...(spec.cfgScale !== undefined ? { cfg_scale: spec.cfgScale } : {}),
    ...(spec.cameraControl ? { camera_control: spec.cameraControl } : {}),
    external_task_id: externalId,
  };
  if (isImageToVideo(spec)) {
    body.image = spec.imageUrl as string;
    if (spec.endImageUrl) body.image_tail = spec.endImageUrl;
  } else body.aspect_ratio = spec.aspectRatio;
  return body;
}
