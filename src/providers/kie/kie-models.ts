import { countCharacters } from "../../job/count-characters.js";
import { isImageToVideo, type JobSpec, type Resolution, type SpecProblem } from "../../job/job-spec.js";
import { canonicalModelName, type KlingFamilyName } from "../../job/model-name.js";
import { type OtherVideoModelName, otherVideoModelName, tierOfName } from "../../job/other-model-names.js";
import { setting } from "../../util/setting-name.js";
import { KIE_MODELS } from "./kie-model-list.js";

/**
 * The Kling models of KIE.AI's market API and the schema each documents (docs/provider-contracts.md,
 * KIE models). Adding a model is adding an entry: checks, body and price all read it.
 */
export interface KieModel {
  /** Its canonical name: a Kling family, or another maker's model (Hailuo, Wan, Seedance). */
  family: KlingFamilyName | OtherVideoModelName;
  label: string;
  /** The `model` ids KIE takes for text- and image-to-video (one id for both on kling-3.0). */
  textModel?: string;
  imageModel: string;
  maxPrompt: number;
  /** Negative prompt limit; absent when the schema has no negative prompt. */
  maxNegativePrompt?: { text: number; image: number };
  durations: readonly number[];
  sound: boolean;
  /** Modes it takes as `input.mode`; empty: none (KIE decides). */
  modes: readonly ("std" | "pro")[];
  cfgScale: boolean;
  endFrame: boolean;
  /** The mode an end frame needs (kling-2.1: only its pro id takes `tail_image_url`). */
  endFrameMode?: "pro";
  /** Resolutions it takes (`input.resolution`), the first the default; absent: none to choose. */
  resolutions?: readonly Resolution[];
  /** Rules of its own beyond the common ones (Hailuo 2.3: no 10 s at 1080p). */
  checkMore?(spec: JobSpec): SpecProblem[];
  /** Image formats its image field takes, when narrower than JPEG and PNG (kling/v2-1-pro: JPEG). */
  imageFormats?(spec: JobSpec): readonly ("jpeg" | "png")[];
  /** Where its price comes from, when not the first archive (KIE_PRICE_SOURCE). */
  priceSource?: string;
  /** Credits for one video (1 credit = $0.005). */
  credits(spec: JobSpec): number;
  body(spec: JobSpec): KieCreateBody;
}

export interface KieCreateBody {
  model: string;
  input: Record<string, unknown>;
}

export { KIE_MODELS } from "./kie-model-list.js";

export function findKieModel(written: string): KieModel | undefined {
  const family = canonicalModelName(written) ?? otherVideoModelName(written);
  return KIE_MODELS.find((m) => m.family === family);
}

/**
 * The mode a row runs in on KIE: its own, else the tier its model name carries (`…-pro`), else
 * what its resolution means for Kling (720p std, 1080p pro), else std.
 */
export function kieModeOf(spec: JobSpec): "std" | "pro" {
  if (spec.mode) return spec.mode;
  const tier = tierOfName(spec.model);
  if (tier) return tier;
  if (spec.resolution === "1080p") return "pro";
  return "std";
}

/** The resolution sent: the row's, else the model's first (its default). */
export function kieResolutionOf(spec: JobSpec, model: KieModel): Resolution | undefined {
  return spec.resolution ?? model.resolutions?.[0];
}

/** The documented rules of the row's model on KIE, as row errors naming the model and the rule. */
export function checkKieSpec(spec: JobSpec): SpecProblem[] {
  const model = findKieModel(spec.model);
  if (!model)
    return [
      {
        field: "model",
        message: `"${spec.model}" is not a video model vidbatch knows on KIE's market API; use ${KIE_MODELS.map((m) => m.family).join(", ")}, or ${setting("provider")} kling for Kling's others`,
      },
    ];
  const problems: SpecProblem[] = [];
  const name = `KIE's ${model.label}`;
  const length = countCharacters(spec.prompt);
  if (length > model.maxPrompt)
    problems.push({
      field: "prompt",
      message: `the prompt has ${length} characters; ${name} allows at most ${model.maxPrompt} (Unicode characters: an emoji counts as one). Shorten it`,
    });
  if (spec.negativePrompt !== undefined) {
    const max = model.maxNegativePrompt?.[isImageToVideo(spec) ? "image" : "text"];
    const negative = countCharacters(spec.negativePrompt);
    if (max === undefined)
      problems.push({ field: "negativePrompt", message: `${name} takes no negative prompt; clear it` });
    else if (negative > max)
      problems.push({
        field: "negativePrompt",
        message: `the negative prompt has ${negative} characters; ${name} allows at most ${max}`,
      });
  }
  if (!model.durations.includes(spec.duration))
    problems.push({
      field: "duration",
      message: `${name} makes ${model.durations.length > 3 ? `${model.durations[0]} to ${model.durations.at(-1)}` : model.durations.join(" or ")} s videos, not ${spec.duration} s`,
    });
  if (spec.sound && !model.sound)
    problems.push({ field: "sound", message: `${name} makes silent videos only; set sound to no` });
  if (spec.mode !== undefined && !model.modes.includes(spec.mode))
    problems.push({
      field: "mode",
      message:
        model.modes.length === 0
          ? `${name} takes no mode (KIE sets the quality); clear the mode (or ${setting("mode")})`
          : `${name} runs in ${model.modes.join(" or ")} mode`,
    });
  const tier = tierOfName(spec.model);
  if (tier && spec.mode && tier !== spec.mode && model.modes.length > 0)
    problems.push({
      field: "mode",
      message: `the model "${spec.model}" names the ${tier === "pro" ? "pro" : "standard"} tier, but the row asks for ${spec.mode}; keep one of them`,
    });
  if (spec.resolution !== undefined) {
    const takes = model.resolutions ?? (model.modes.length > 0 ? (["720p", "1080p"] as const) : []);
    if (!takes.includes(spec.resolution))
      problems.push({
        field: "resolution",
        message:
          takes.length === 0
            ? `${name} takes no resolution (KIE sets it); clear it`
            : `${name} makes ${takes.join(" or ")} videos, not ${spec.resolution}`,
      });
  }
  problems.push(...(model.checkMore?.(spec) ?? []));
  if (spec.cfgScale !== undefined && !model.cfgScale)
    problems.push({ field: "cfgScale", message: `${name} takes no cfg_scale; clear it` });
  if (spec.cameraControl)
    problems.push({
      field: "cameraControl",
      message: `${name} takes no camera_control (KIE documents none for Kling); clear it, or use ${setting("provider")} kling with kling-v1`,
    });
  if (spec.endImageUrl !== undefined && !model.endFrame)
    problems.push({
      field: "endImageUrl",
      message: `${name} takes no end frame; leave it empty, use kling-2.5-turbo or kling-3.0, or ${setting("provider")} kling`,
    });
  else if (
    spec.endImageUrl !== undefined &&
    model.endFrameMode &&
    (spec.mode ?? "std") !== model.endFrameMode
  )
    problems.push({
      field: "mode",
      message: `an end frame needs ${model.endFrameMode} mode on ${name}. Set mode to ${model.endFrameMode}, or clear end_image_url`,
    });
  if (!model.textModel && !isImageToVideo(spec))
    problems.push({
      field: "imageUrl",
      message: `${name} makes image-to-video only; give a start image in image_url, or use another model for text-to-video`,
    });
  const wants = /\/text-to-video$/.test(spec.model)
    ? "t"
    : /\/image-to-video$/.test(spec.model)
      ? "i"
      : undefined;
  if (wants === "i" && !isImageToVideo(spec))
    problems.push({ field: "imageUrl", message: "image-to-video needs an image URL" });
  if (wants === "t" && isImageToVideo(spec))
    problems.push({ field: "model", message: "text-to-video takes no image; clear image_url or the model" });
  return problems;
}
