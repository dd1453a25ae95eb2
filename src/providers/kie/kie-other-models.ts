import { isImageToVideo, type JobSpec } from "../../job/job-spec.js";
import type { KieModel } from "./kie-models.js";
import { kieModeOf, kieResolutionOf } from "./kie-models.js";

/**
 * Video models of other makers on KIE's market API (docs/provider-contracts.md, KIE other models):
 * the same createTask/recordInfo, each with its own schema, rules and price.
 */
const SNAPSHOT = "KIE pricing snapshot 2026-06-30";

/** Hailuo 2.3 (MiniMax): $ per video by tier, duration and resolution (credits at $0.005). */
const HAILUO_CREDITS = {
  std: { "6-768p": 30, "10-768p": 50, "6-1080p": 50 },
  pro: { "6-768p": 45, "10-768p": 90, "6-1080p": 80 },
} as const;

export const KIE_OTHER_MODELS: KieModel[] = [
  {
    // Image-to-video only, a standard and a pro id (the mode picks; `…-pro` in the name does too);
    // 6 or 10 s, 768P or 1080P (written in capitals), and no 10 s at 1080P.
    family: "hailuo-2.3",
    label: "hailuo-2.3",
    imageModel: "hailuo/2-3-image-to-video-standard",
    maxPrompt: 5000,
    durations: [6, 10],
    sound: false,
    modes: ["std", "pro"],
    cfgScale: false,
    endFrame: false,
    resolutions: ["768p", "1080p"],
    checkMore: (spec) =>
      spec.resolution === "1080p" && spec.duration === 10
        ? [{ field: "duration", message: "KIE's hailuo-2.3 makes no 10 s videos at 1080p; use 6 s, or 768p" }]
        : [],
    priceSource: `${SNAPSHOT} (hailuo 2.3 image-to-video: standard $0.15/$0.25 for 6/10 s at 768p, $0.25 for 6 s at 1080p; pro $0.225/$0.45, $0.40; 1 credit = $0.005)`,
    credits: (spec) => {
      const key = `${spec.duration}-${spec.resolution ?? "768p"}` as keyof (typeof HAILUO_CREDITS)["std"];
      return HAILUO_CREDITS[kieModeOf(spec)][key] ?? Number.NaN;
    },
    body: (spec) => ({
      model:
        kieModeOf(spec) === "pro" ? "hailuo/2-3-image-to-video-pro" : "hailuo/2-3-image-to-video-standard",
      input: {
        prompt: spec.prompt,
        image_url: spec.imageUrl,
        duration: String(spec.duration),
        resolution: (spec.resolution ?? "768p").toUpperCase(),
      },
    }),
  },
  {
    // Prompts ≤ 800 characters, 5 or 10 s, 720p or 1080p, a negative prompt ≤ 500, aspect ratio
    // for text-to-video only; no audio.
    family: "wan-2.5",
    label: "wan-2.5",
    textModel: "wan/2-5-text-to-video",
    imageModel: "wan/2-5-image-to-video",
    maxPrompt: 800,
    maxNegativePrompt: { text: 500, image: 500 },
    durations: [5, 10],
    sound: false,
    modes: [],
    cfgScale: false,
    endFrame: false,
    resolutions: ["720p", "1080p"],
    priceSource: `${SNAPSHOT} (wan 2.5: $0.30 per 5 s at 720p, $0.50 at 1080p, 10 s double; 1 credit = $0.005)`,
    credits: (spec) =>
      (spec.duration / 5) * (kieResolutionOf(spec, findSelf("wan-2.5")) === "1080p" ? 100 : 60),
    body: (spec) => {
      const common = {
        prompt: spec.prompt,
        duration: String(spec.duration),
        resolution: kieResolutionOf(spec, findSelf("wan-2.5")),
        ...(spec.negativePrompt ? { negative_prompt: spec.negativePrompt } : {}),
      };
      return isImageToVideo(spec)
        ? { model: "wan/2-5-image-to-video", input: { ...common, image_url: spec.imageUrl } }
        : { model: "wan/2-5-text-to-video", input: { ...common, aspect_ratio: spec.aspectRatio } };
    },
  },
  seedance("pro"),
  seedance("lite"),
];

function findSelf(family: KieModel["family"]): KieModel {
  return KIE_OTHER_MODELS.find((m) => m.family === family) as KieModel;
}

/**
 * Seedance 1.0 (ByteDance), `bytedance/v1-{pro|lite}-*`: prompts ≤ 10000, 5 or 10 s, 480p, 720p
 * (the default) or 1080p; the lite image-to-video takes an end frame. KIE's snapshot lists no price
 * for these ids: unknown, never $0.
 */
function seedance(tier: "pro" | "lite"): KieModel {
  return {
    family: tier === "pro" ? "seedance-1.0-pro" : "seedance-1.0-lite",
    label: `seedance-1.0-${tier}`,
    textModel: `bytedance/v1-${tier}-text-to-video`,
    imageModel: `bytedance/v1-${tier}-image-to-video`,
    maxPrompt: 10000,
    durations: [5, 10],
    sound: false,
    modes: [],
    cfgScale: false,
    endFrame: tier === "lite",
    resolutions: ["720p", "480p", "1080p"],
    credits: () => Number.NaN,
    priceSource: `unknown: ${SNAPSHOT} lists no price for bytedance/v1-${tier}-*`,
    body: (spec: JobSpec) => {
      const common = {
        prompt: spec.prompt,
        duration: String(spec.duration),
        resolution: spec.resolution ?? "720p",
      };
      return isImageToVideo(spec)
        ? {
            model: `bytedance/v1-${tier}-image-to-video`,
            input: {
              ...common,
              image_url: spec.imageUrl,
              ...(spec.endImageUrl ? { end_image_url: spec.endImageUrl } : {}),
            },
          }
        : {
            model: `bytedance/v1-${tier}-text-to-video`,
            input: { ...common, aspect_ratio: spec.aspectRatio },
          };
    },
  };
}
