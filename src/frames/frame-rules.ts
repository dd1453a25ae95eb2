import type { ImageFormat, ImageHeader } from "./image-header.js";

/** What a provider documents a start or end frame must be (docs/provider-contracts.md). */
export interface FrameRules {
  /** Whose limits these are, for messages ("Kling", "KIE's kling-2.6/image-to-video"). */
  who: string;
  formats: readonly ImageFormat[];
  maxBytes: number;
  /** The shorter side's minimum, in pixels. */
  minSide?: number;
  /** Width ÷ height must lie within these (Kling: 1:2.5 to 2.5:1). */
  minAspect?: number;
  maxAspect?: number;
}

const NAMES: Record<ImageFormat, string> = { jpeg: "JPEG", png: "PNG", webp: "WebP" };

function listFormats(formats: readonly ImageFormat[]): string {
  const names = formats.map((f) => NAMES[f]);
  return names.length <= 1 ? (names[0] ?? "") : `${names.slice(0, -1).join(", ")} or ${names.at(-1)}`;
}

const mb = (bytes: number) => `${(bytes / 1_048_576).toFixed(1).replace(/\.0$/, "")} MB`;

/** Why this file cannot be a frame under these rules, or undefined when it can. */
export function checkFrame(header: ImageHeader, bytes: number, rules: FrameRules): string | undefined {
  const accepted = listFormats(rules.formats);
  if (header.kind !== "image") return `is ${header.what}; ${rules.who} takes ${accepted} images`;
  if (!rules.formats.includes(header.format))
    return `is a ${NAMES[header.format]} image, which ${rules.who} does not take; convert it to ${accepted}`;
  if (bytes > rules.maxBytes)
    return `is ${mb(bytes)}; ${rules.who} takes at most ${mb(rules.maxBytes)} (save it smaller, e.g. as JPEG)`;
  const { width, height } = header;
  if (rules.minSide !== undefined && Math.min(width, height) < rules.minSide)
    return `is ${width}×${height} pixels; ${rules.who} needs at least ${rules.minSide} pixels on each side`;
  const aspect = width / height;
  if (
    (rules.minAspect !== undefined && aspect < rules.minAspect - 1e-9) ||
    (rules.maxAspect !== undefined && aspect > rules.maxAspect + 1e-9)
  )
    return `is ${width}×${height} pixels (aspect ${ratio(aspect)}); ${rules.who} takes width:height from ${ratio(rules.minAspect ?? 0)} to ${ratio(rules.maxAspect ?? Infinity)}: crop it`;
  return undefined;
}

function ratio(aspect: number): string {
  if (!Number.isFinite(aspect)) return "any";
  // Three decimals: 751×300 is 2.503:1, not "2.5:1" beside a limit of 2.5:1.
  const r = (n: number) => String(Math.round(n * 1000) / 1000);
  return aspect >= 1 ? `${r(aspect)}:1` : `1:${r(1 / aspect)}`;
}
