/**
 * KIE's market schemas for its Kling models as the simulator reads docs/provider-contracts.md
 * (KIE models): which fields each model id takes and what one video costs in credits. Written
 * from the documents, never from the adapter, so the two can disagree.
 */
import {
  ASPECTS,
  cfg,
  chars,
  fiveOrTen,
  type Input,
  isUrl,
  onlyFields,
  prompt,
  type SimKieModel,
} from "./kie-sim-fields.js";
import { SIM_KIE_OTHER_MODELS } from "./kie-sim-other-models.js";

const kling26Text: SimKieModel = {
  validate: (i) =>
    prompt(i, 1000) ??
    onlyFields(i, ["prompt", "sound", "aspect_ratio", "duration"]) ??
    (typeof i.sound !== "boolean" ? "input.sound must be a boolean" : undefined) ??
    fiveOrTen(i) ??
    (ASPECTS.includes(i.aspect_ratio as string) ? undefined : "input.aspect_ratio must be 1:1, 16:9 or 9:16"),
  credits: (i) => (i.duration === "10" ? 2 : 1) * (i.sound ? 110 : 55),
};

const kling26Image: SimKieModel = {
  validate: (i) =>
    prompt(i, 1000) ??
    onlyFields(i, ["prompt", "sound", "image_urls", "duration"]) ??
    (typeof i.sound !== "boolean" ? "input.sound must be a boolean" : undefined) ??
    fiveOrTen(i) ??
    (Array.isArray(i.image_urls) && i.image_urls.length === 1 && isUrl(i.image_urls[0])
      ? undefined
      : "input.image_urls must be an array of exactly one image URL"),
  credits: kling26Text.credits,
};

const turboText: SimKieModel = {
  validate: (i) =>
    prompt(i, 2500) ??
    onlyFields(i, ["prompt", "duration", "aspect_ratio", "negative_prompt", "cfg_scale"]) ??
    (i.duration === undefined ? undefined : fiveOrTen(i)) ??
    (i.aspect_ratio === undefined || ASPECTS.includes(i.aspect_ratio as string)
      ? undefined
      : "input.aspect_ratio must be 1:1, 16:9 or 9:16") ??
    (chars(i.negative_prompt) > 2500 ? "input.negative_prompt must be at most 2500 characters" : undefined) ??
    cfg(i),
  credits: (i) => (i.duration === "10" ? 84 : 42),
};

const turboImage: SimKieModel = {
  validate: (i) =>
    prompt(i, 2500) ??
    onlyFields(i, ["prompt", "image_url", "tail_image_url", "duration", "negative_prompt", "cfg_scale"]) ??
    (isUrl(i.image_url) ? undefined : "input.image_url must be an image URL (a string)") ??
    (i.tail_image_url === undefined || i.tail_image_url === "" || isUrl(i.tail_image_url)
      ? undefined
      : "input.tail_image_url must be an image URL") ??
    (i.duration === undefined ? undefined : fiveOrTen(i)) ??
    (chars(i.negative_prompt) > 2496 ? "input.negative_prompt must be at most 2496 characters" : undefined) ??
    cfg(i),
  credits: turboText.credits,
};

/** kling-3.0: 720p (std) $0.07/s silent, $0.10 with sound; 1080p (pro) $0.09, $0.135 (1 credit = $0.005). */
const kling30: SimKieModel = {
  validate: (i) => {
    const seconds = Number(i.duration);
    return (
      onlyFields(i, [
        "prompt",
        "image_urls",
        "sound",
        "duration",
        "aspect_ratio",
        "mode",
        "multi_shots",
        "multi_prompt",
        "kling_elements",
      ]) ??
      (i.multi_shots === true ? undefined : prompt(i, 2500)) ??
      (typeof i.duration === "string" && Number.isInteger(seconds) && seconds >= 3 && seconds <= 15
        ? undefined
        : 'input.duration must be a string from "3" to "15"') ??
      (i.mode === "std" || i.mode === "pro" ? undefined : "input.mode must be std or pro") ??
      (typeof i.multi_shots === "boolean" ? undefined : "input.multi_shots must be a boolean") ??
      (i.sound === undefined || typeof i.sound === "boolean" ? undefined : "input.sound must be a boolean") ??
      (i.image_urls === undefined ||
      (Array.isArray(i.image_urls) && i.image_urls.length <= 2 && i.image_urls.every(isUrl))
        ? undefined
        : "input.image_urls must hold one or two image URLs")
    );
  },
  credits: (i) => Number(i.duration) * (i.mode === "pro" ? (i.sound ? 27 : 18) : i.sound ? 20 : 14),
};

/** kling/v2-1-*: prompt ≤ 5000, negative_prompt ≤ 500, cfg_scale 0–1, duration "5"/"10". */
function kling21(fields: string[], rest: (i: Input) => string | undefined): (i: Input) => string | undefined {
  return (i) =>
    prompt(i, 5000) ??
    onlyFields(i, ["prompt", "duration", "negative_prompt", "cfg_scale", ...fields]) ??
    (i.duration === undefined ? undefined : fiveOrTen(i)) ??
    (chars(i.negative_prompt) > 500 ? "input.negative_prompt must be at most 500 characters" : undefined) ??
    cfg(i) ??
    rest(i);
}

const imageUrl = (i: Input) =>
  isUrl(i.image_url) ? undefined : "input.image_url must be an image URL (a string)";
/** $0.125 / $0.25 / $0.80 per 5 s (KIE's snapshot of 2026-06-30), in credits. */
const per5s = (credits: number) => (i: Input) => (i.duration === "10" ? 2 : 1) * credits;

/** kling/v3-turbo-*: duration "3"–"15" (a string), resolution 720p or 1080p; $0.09 / $0.1125 a second. */
function v3Turbo(image: boolean): SimKieModel {
  return {
    validate: (i) => {
      const seconds = Number(i.duration);
      return (
        prompt(i, 2500) ??
        onlyFields(
          i,
          image
            ? ["prompt", "image_urls", "duration", "resolution"]
            : ["prompt", "duration", "aspect_ratio", "resolution"],
        ) ??
        (typeof i.duration === "string" && Number.isInteger(seconds) && seconds >= 3 && seconds <= 15
          ? undefined
          : 'input.duration must be a string from "3" to "15"') ??
        (i.resolution === "720p" || i.resolution === "1080p"
          ? undefined
          : "input.resolution must be 720p or 1080p") ??
        (image
          ? Array.isArray(i.image_urls) && i.image_urls.length >= 1 && i.image_urls.every(isUrl)
            ? undefined
            : "input.image_urls must hold an image URL"
          : ASPECTS.includes(i.aspect_ratio as string)
            ? undefined
            : "input.aspect_ratio must be 1:1, 16:9 or 9:16")
      );
    },
    credits: (i) => Number(i.duration) * (i.resolution === "1080p" ? 22.5 : 18),
  };
}

export const SIM_KIE_MODELS: Record<string, SimKieModel> = {
  ...SIM_KIE_OTHER_MODELS,
  "kling/v2-1-standard": { validate: kling21(["image_url"], imageUrl), credits: per5s(25) },
  "kling/v2-1-pro": {
    validate: kling21(
      ["image_url", "tail_image_url"],
      (i) =>
        imageUrl(i) ??
        (i.tail_image_url === undefined || i.tail_image_url === "" || isUrl(i.tail_image_url)
          ? undefined
          : "input.tail_image_url must be an image URL"),
    ),
    credits: per5s(50),
  },
  "kling/v2-1-master-image-to-video": { validate: kling21(["image_url"], imageUrl), credits: per5s(160) },
  "kling/v2-1-master-text-to-video": {
    validate: kling21(["aspect_ratio"], (i) =>
      i.aspect_ratio === undefined || ASPECTS.includes(i.aspect_ratio as string)
        ? undefined
        : "input.aspect_ratio must be 1:1, 16:9 or 9:16",
    ),
    credits: per5s(160),
  },
  "kling/v3-turbo-text-to-video": v3Turbo(false),
  "kling/v3-turbo-image-to-video": v3Turbo(true),
  "kling-2.6/text-to-video": kling26Text,
  "kling-2.6/image-to-video": kling26Image,
  "kling/v2-5-turbo-text-to-video-pro": turboText,
  "kling/v2-5-turbo-image-to-video-pro": turboImage,
  "kling-3.0/video": kling30,
};

/** `callBackUrl`, when given, is a URI (an http(s) one). */
export function validateKieCallbackUrl(url: unknown): string | undefined {
  if (url === undefined) return undefined;
  if (typeof url !== "string") return "callBackUrl must be a string (uri)";
  try {
    const parsed = new URL(url);
    return /^https?:$/.test(parsed.protocol) ? undefined : "callBackUrl must be an http(s) uri";
  } catch {
    return "callBackUrl must be a uri";
  }
}
