import { countCharacters } from "../../job/count-characters.js";
import { isImageToVideo, type JobSpec, type SpecProblem } from "../../job/job-spec.js";
import { canonicalModelName, type KlingFamilyName } from "../../job/model-name.js";
import { setting } from "../../util/setting-name.js";

/**
 * The Kling models of KIE.AI's market API and the schema each documents (docs/provider-contracts.md,
 * KIE models). Adding a model is adding an entry: checks, body and price all read it.
 */
export interface KieModel {
  family: KlingFamilyName;
  label: string;
  /** The `model` ids KIE takes for text- and image-to-video (one id for both on kling-3.0). */
  textModel: string;
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
  /** Credits for one video (1 credit = $0.005). */
  credits(spec: JobSpec): number;
  body(spec: JobSpec): KieCreateBody;
}

export interface KieCreateBody {
  model: string;
  input: Record<string, unknown>;
}

const FIVE_OR_TEN = [5, 10] as const;

export const KIE_MODELS: readonly KieModel[] = [
  {
    family: "kling-2.6",
    label: "kling-2.6",
    textModel: "kling-2.6/text-to-video",
    imageModel: "kling-2.6/image-to-video",
    maxPrompt: 1000,
    durations: FIVE_OR_TEN,
    sound: true,
    modes: [],
    cfgScale: false,
    endFrame: false,
    credits: (spec) => (spec.duration / 5) * (spec.sound ? 110 : 55),
    // duration is a string, sound a boolean, aspect_ratio only for text-to-video, image_urls an array of one.
    body: (spec) =>
      isImageToVideo(spec)
        ? {
            model: "kling-2.6/image-to-video",
            input: {
              prompt: spec.prompt,
              image_urls: [spec.imageUrl],
              sound: spec.sound,
              duration: String(spec.duration),
            },
          }
        : {
            model: "kling-2.6/text-to-video",
            input: {
              prompt: spec.prompt,
              sound: spec.sound,
              aspect_ratio: spec.aspectRatio,
              duration: String(spec.duration),
            },
          },
  },
  {
    family: "kling-2.5-turbo",
    label: "kling-2.5-turbo (pro)",
    textModel: "kling/v2-5-turbo-text-to-video-pro",
    imageModel: "kling/v2-5-turbo-image-to-video-pro",
    maxPrompt: 2500,
    maxNegativePrompt: { text: 2500, image: 2496 },
    durations: FIVE_OR_TEN,
    sound: false,
    modes: [],
    cfgScale: true,
    endFrame: true,
    credits: (spec) => (spec.duration / 5) * 42,
    // image_url is one string here (not an array), the end frame is tail_image_url.
    body: (spec) => {
      const common = {
        prompt: spec.prompt,
        duration: String(spec.duration),
        ...(spec.negativePrompt ? { negative_prompt: spec.negativePrompt } : {}),
        ...(spec.cfgScale !== undefined ? { cfg_scale: spec.cfgScale } : {}),
      };
      return isImageToVideo(spec)
        ? {
            model: "kling/v2-5-turbo-image-to-video-pro",
            input: {
              ...common,
              image_url: spec.imageUrl,
              ...(spec.endImageUrl ? { tail_image_url: spec.endImageUrl } : {}),
            },
          }
        : {
            model: "kling/v2-5-turbo-text-to-video-pro",
            input: { ...common, aspect_ratio: spec.aspectRatio },
          };
    },
  },
  {
    family: "kling-3.0",
    label: "kling-3.0",
    textModel: "kling-3.0/video",
    imageModel: "kling-3.0/video",
    maxPrompt: 2500,
    durations: Array.from({ length: 13 }, (_, i) => i + 3),
    sound: true,
    modes: ["std", "pro"],
    cfgScale: false,
    endFrame: true,
    // Per second: std (720p) $0.07 silent, $0.10 with audio; pro (1080p) $0.09, $0.135.
    credits: (spec) =>
      spec.duration * ((spec.mode ?? "std") === "pro" ? (spec.sound ? 27 : 18) : spec.sound ? 20 : 14),
    // One model id; image_urls holds the first and optionally the last frame; single shot.
    body: (spec) => ({
      model: "kling-3.0/video",
      input: {
        prompt: spec.prompt,
        ...(isImageToVideo(spec)
          ? { image_urls: spec.endImageUrl ? [spec.imageUrl, spec.endImageUrl] : [spec.imageUrl] }
          : { aspect_ratio: spec.aspectRatio }),
        sound: spec.sound,
        duration: String(spec.duration),
        mode: spec.mode ?? "std",
        multi_shots: false,
      },
    }),
  },
];

export function findKieModel(written: string): KieModel | undefined {
  const family = canonicalModelName(written);
  return KIE_MODELS.find((m) => m.family === family);
}

/** The documented rules of the row's model on KIE, as row errors naming the model and the rule. */
export function checkKieSpec(spec: JobSpec): SpecProblem[] {
  const model = findKieModel(spec.model);
  if (!model)
    return [
      {
        field: "model",
        message: `"${spec.model}" is not a Kling model KIE's market API documents; use ${KIE_MODELS.map((m) => m.family).join(", ")}, or ${setting("provider")} kling for the others`,
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
