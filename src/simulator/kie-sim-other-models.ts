import { ASPECTS, chars, type Input, isUrl, onlyFields, prompt, type SimKieModel } from "./kie-sim-fields.js";

/**
 * KIE's schemas for other makers' video models as the simulator reads docs/provider-contracts.md
 * (KIE other models): Hailuo 2.3, Wan 2.5, Seedance 1.0. Written from the documents, never from
 * the adapter.
 */
/** `input.<field>` must be one of `values` (when given, or always when `required`). */
function oneOf(i: Input, field: string, values: string[], required = false): string | undefined {
  if (i[field] === undefined && !required) return undefined;
  return values.includes(i[field] as string)
    ? undefined
    : `input.${field} must be one of ${values.join(", ")}`;
}

/** Hailuo 2.3 image-to-video (standard or pro): 6/10 s, 768P/1080P (capitals), no 10 s at 1080P. */
function hailuo23(pro: boolean): SimKieModel {
  return {
    validate: (i) =>
      prompt(i, 5000) ??
      onlyFields(i, ["prompt", "image_url", "duration", "resolution", "nsfw_checker"]) ??
      (isUrl(i.image_url) ? undefined : "input.image_url must be an image URL") ??
      oneOf(i, "duration", ["6", "10"]) ??
      oneOf(i, "resolution", ["768P", "1080P"]) ??
      (i.resolution === "1080P" && i.duration === "10"
        ? "1080P does not support 10-second videos"
        : undefined),
    credits: (i) =>
      i.resolution === "1080P" ? (pro ? 80 : 50) : i.duration === "10" ? (pro ? 90 : 50) : pro ? 45 : 30,
  };
}

/** Wan 2.5: prompt ≤ 800, duration 5/10 (required), 720p/1080p, negative_prompt ≤ 500. */
function wan25(image: boolean): SimKieModel {
  return {
    validate: (i) =>
      prompt(i, 800) ??
      onlyFields(i, [
        "prompt",
        "duration",
        "resolution",
        "negative_prompt",
        "enable_prompt_expansion",
        "seed",
        ...(image ? ["image_url", "nsfw_checker"] : ["aspect_ratio"]),
      ]) ??
      oneOf(i, "duration", ["5", "10"], true) ??
      oneOf(i, "resolution", ["720p", "1080p"]) ??
      (image
        ? isUrl(i.image_url)
          ? undefined
          : "input.image_url must be an image URL"
        : oneOf(i, "aspect_ratio", ASPECTS)) ??
      (chars(i.negative_prompt) > 500 ? "input.negative_prompt must be at most 500 characters" : undefined),
    credits: (i) => (i.duration === "10" ? 2 : 1) * (i.resolution === "1080p" ? 100 : 60),
  };
}

/** Seedance 1.0 (`bytedance/v1-*`): prompt ≤ 10000, 5/10 s, 480p/720p/1080p; lite i2v takes an end frame. */
function seedance(image: boolean, endFrame: boolean): SimKieModel {
  return {
    validate: (i) =>
      prompt(i, 10000) ??
      onlyFields(i, [
        "prompt",
        "duration",
        "resolution",
        "camera_fixed",
        "seed",
        "enable_safety_checker",
        "nsfw_checker",
        ...(image ? ["image_url", ...(endFrame ? ["end_image_url"] : [])] : ["aspect_ratio"]),
      ]) ??
      oneOf(i, "duration", ["5", "10"]) ??
      oneOf(i, "resolution", ["480p", "720p", "1080p"]) ??
      (image
        ? isUrl(i.image_url)
          ? undefined
          : "input.image_url must be an image URL"
        : oneOf(i, "aspect_ratio", [...ASPECTS, "21:9", "4:3", "3:4", "9:21"])),
    // The simulator's own charge: KIE publishes none for these ids.
    credits: (i) => (i.duration === "10" ? 2 : 1) * 40,
  };
}

export const SIM_KIE_OTHER_MODELS: Record<string, SimKieModel> = {
  "hailuo/2-3-image-to-video-standard": hailuo23(false),
  "hailuo/2-3-image-to-video-pro": hailuo23(true),
  "wan/2-5-text-to-video": wan25(false),
  "wan/2-5-image-to-video": wan25(true),
  "bytedance/v1-pro-text-to-video": seedance(false, false),
  "bytedance/v1-pro-image-to-video": seedance(true, false),
  "bytedance/v1-lite-text-to-video": seedance(false, false),
  "bytedance/v1-lite-image-to-video": seedance(true, true),
};
