import { isImageToVideo, type JobSpec } from "../../job/job-spec.js";
import { type KieModel, kieModeOf } from "./kie-models.js";
import { KIE_OTHER_MODELS } from "./kie-other-models.js";

/**
 * KIE's Kling models and the schema each documents (docs/provider-contracts.md, KIE models):
 * one entry per model, read by the checks, the body and the price alike.
 */
/** The pricing snapshot the later models' prices come from. */
const SNAPSHOT_2026_06_30 = "KIE pricing snapshot 2026-06-30";

/** kling/v2-1-*: prompt ≤ 5000, negative prompt ≤ 500, cfg_scale, duration "5"/"10" (a string). */
function kling21Common(spec: JobSpec): Record<string, unknown> {
  return {
    prompt: spec.prompt,
    duration: String(spec.duration),
    ...(spec.negativePrompt ? { negative_prompt: spec.negativePrompt } : {}),
    ...(spec.cfgScale !== undefined ? { cfg_scale: spec.cfgScale } : {}),
  };
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
      spec.duration * (kieModeOf(spec) === "pro" ? (spec.sound ? 27 : 18) : spec.sound ? 20 : 14),
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
        mode: kieModeOf(spec),
        multi_shots: false,
      },
    }),
  },
  {
    // Two ids by mode (standard, pro), image-to-video only; only pro takes an end frame.
    family: "kling-2.1",
    label: "kling-2.1 (standard/pro)",
    imageModel: "kling/v2-1-standard",
    maxPrompt: 5000,
    maxNegativePrompt: { text: 500, image: 500 },
    durations: FIVE_OR_TEN,
    sound: false,
    modes: ["std", "pro"],
    cfgScale: true,
    endFrame: true,
    endFrameMode: "pro",
    imageFormats: (spec) => (kieModeOf(spec) === "pro" ? ["jpeg"] : ["jpeg", "png"]),
    // $0.125 per 5 s standard, $0.25 pro.
    priceSource: `${SNAPSHOT_2026_06_30} (kling-2.1: $0.125 per 5 s standard, $0.25 pro; 1 credit = $0.005)`,
    credits: (spec) => (spec.duration / 5) * (kieModeOf(spec) === "pro" ? 50 : 25),
    body: (spec) => ({
      model: kieModeOf(spec) === "pro" ? "kling/v2-1-pro" : "kling/v2-1-standard",
      input: {
        ...kling21Common(spec),
        image_url: spec.imageUrl,
        ...(spec.endImageUrl ? { tail_image_url: spec.endImageUrl } : {}),
      },
    }),
  },
  {
    family: "kling-2.1-master",
    label: "kling-2.1-master",
    textModel: "kling/v2-1-master-text-to-video",
    imageModel: "kling/v2-1-master-image-to-video",
    maxPrompt: 5000,
    maxNegativePrompt: { text: 500, image: 500 },
    durations: FIVE_OR_TEN,
    sound: false,
    modes: [],
    cfgScale: true,
    endFrame: false,
    priceSource: `${SNAPSHOT_2026_06_30} (kling-2.1-master: $0.80 per 5 s; 1 credit = $0.005)`,
    credits: (spec) => (spec.duration / 5) * 160,
    body: (spec) =>
      isImageToVideo(spec)
        ? {
            model: "kling/v2-1-master-image-to-video",
            input: { ...kling21Common(spec), image_url: spec.imageUrl },
          }
        : {
            model: "kling/v2-1-master-text-to-video",
            input: { ...kling21Common(spec), aspect_ratio: spec.aspectRatio },
          },
  },
  {
    // 3 to 15 s (a string), resolution 720p (std) or 1080p (pro), no audio field, first frame only.
    family: "kling-3.0-turbo",
    label: "kling-3.0-turbo",
    textModel: "kling/v3-turbo-text-to-video",
    imageModel: "kling/v3-turbo-image-to-video",
    maxPrompt: 2500,
    durations: Array.from({ length: 13 }, (_, i) => i + 3),
    sound: false,
    modes: ["std", "pro"],
    cfgScale: false,
    endFrame: false,
    priceSource: `${SNAPSHOT_2026_06_30} (kling-3.0-turbo: $0.09 per s at 720p, $0.1125 at 1080p; 1 credit = $0.005)`,
    credits: (spec) => spec.duration * (kieModeOf(spec) === "pro" ? 22.5 : 18),
    body: (spec) => {
      const resolution = kieModeOf(spec) === "pro" ? "1080p" : "720p";
      return isImageToVideo(spec)
        ? {
            model: "kling/v3-turbo-image-to-video",
            input: {
              prompt: spec.prompt,
              image_urls: [spec.imageUrl],
              duration: String(spec.duration),
              resolution,
            },
          }
        : {
            model: "kling/v3-turbo-text-to-video",
            input: {
              prompt: spec.prompt,
              duration: String(spec.duration),
              aspect_ratio: spec.aspectRatio,
              resolution,
            },
          };
    },
  },
  ...KIE_OTHER_MODELS,
];
