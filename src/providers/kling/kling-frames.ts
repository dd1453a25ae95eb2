import type { FrameRules } from "../../frames/frame-rules.js";

/**
 * Kling's legacy image2video limits for `image` and `image_tail` (docs/provider-contracts.md, Kling
 * frames): .jpg/.jpeg/.png, at most 10 MB, at least 300 px wide and high, width:height from 1:2.5 to
 * 2.5:1 (stated for `image`; the current standard states it for both frames, so both are held to it).
 */
export const KLING_IMAGE_LIMITS = {
  formats: ["jpeg", "png"],
  maxBytes: 10 * 1024 * 1024,
  minSide: 300,
  minAspect: 1 / 2.5,
  maxAspect: 2.5,
} as const satisfies Omit<FrameRules, "who">;

/**
 * Frames sent inline travel as Base64, 4/3 of the file's size, and Kling does not say whether its
 * 10 MB counts the file or the string: the file is held to the stricter reading (7.5 MB), so no
 * create is refused for it.
 */
export const KLING_INLINE_FRAME_RULES: FrameRules = {
  ...KLING_IMAGE_LIMITS,
  who: "Kling (sent inline as Base64, 4/3 of the file, within its 10 MB)",
  maxBytes: Math.floor((KLING_IMAGE_LIMITS.maxBytes * 3) / 4),
};
