import { createHash } from "node:crypto";
import type { SimContext } from "./sim-context.js";
import { sniffImage } from "./sim-image.js";

const TEN_MB = 10 * 1024 * 1024;

/**
 * Kling's legacy image2video `image` and `image_tail` (docs/provider-contracts.md, Kling frames):
 * an image URL, or the file's Base64 with no `data:` prefix; .jpg/.jpeg/.png, at most 10 MB (read
 * here as the Base64 text, the stricter reading), at least 300 px on each side, width:height from
 * 1:2.5 to 2.5:1 (`image`; held for `image_tail` too). Each inline image's hash is kept in the stats.
 */
export function klingImagesProblem(ctx: SimContext, body: Record<string, unknown>): string | undefined {
  for (const field of ["image", "image_tail"]) {
    const value = body[field];
    if (typeof value !== "string") continue;
    if (/^https?:\/\//i.test(value)) {
      ctx.stats.count("kling.image.url");
      const problem = ctx.media.problemWith(value, ["image/jpeg", "image/png"]);
      if (problem) return `${field}: ${problem}`;
      continue;
    }
    if (value.startsWith("data:")) {
      ctx.stats.count("kling.image.data-prefix");
      return `${field}: do not add any prefix such as data:image/png;base64 to the Base64 string`;
    }
    if (value.length > TEN_MB) return `${field}: the image file size cannot exceed 10MB`;
    if (!/^[A-Za-z0-9+/]+={0,2}$/.test(value)) return `${field}: must be an image URL or Base64`;
    const data = Buffer.from(value, "base64");
    const image = sniffImage(data);
    if (image.type !== "image/jpeg" && image.type !== "image/png")
      return `${field}: supported image formats are .jpg / .jpeg / .png`;
    if (image.width < 300 || image.height < 300)
      return `${field}: the width and height of the image shall not be less than 300px`;
    const aspect = image.width / image.height;
    if (aspect < 1 / 2.5 - 1e-9 || aspect > 2.5 + 1e-9)
      return `${field}: the aspect ratio of the image should be between 1:2.5 ~ 2.5:1`;
    ctx.stats.count("kling.image.base64");
    ctx.stats.inlineImageSha256.push(createHash("sha256").update(data).digest("hex"));
  }
  return undefined;
}
