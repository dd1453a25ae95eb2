import type { FrameRules } from "../../frames/frame-rules.js";
import { KLING_IMAGE_LIMITS } from "../kling/kling-frames.js";
import type { FrameUpload } from "../provider.js";
import type { ApiCall } from "../provider-call.js";
import { ProviderError } from "../provider-error.js";
import { asRecord } from "../read-json.js";
import type { KieCall } from "./kie-response.js";

/** KIE's file upload API has its own host (docs/provider-contracts.md, KIE uploads). */
export const KIE_UPLOAD_BASE_URL = "https://kieai.redpandaai.co";

/**
 * KIE deletes uploads after 3 days by some copies of its docs and after 24 hours by the newer ones
 * (a captured answer carries `max-age=86400`): the shorter is believed, and an upload is reused for
 * half of it, so a task that waits in KIE's queue still finds its frame.
 */
export const KIE_UPLOAD_REUSE_MS = 12 * 3_600_000;

/** The folder uploads go to on KIE's host (required, no slashes at either end). */
const UPLOAD_PATH = "vidbatch";

/**
 * KIE's Kling models take `image_urls` of JPEG or PNG, at most 10 MB (WebP is on a product page
 * only, UNCONFIRMED for the API, so it is refused); KIE runs Kling's models, so Kling's pixel and
 * aspect limits hold as well.
 */
export const KIE_FRAME_RULES: FrameRules = { ...KLING_IMAGE_LIMITS, who: "KIE" };

const MIME = { jpeg: "image/jpeg", png: "image/png", webp: "image/webp" } as const;

/** Uploads one frame with `POST /api/file-stream-upload` and returns its `downloadUrl`. */
export async function uploadKieFrame(
  call: ApiCall<KieCall, unknown>,
  file: FrameUpload,
  signal?: AbortSignal,
): Promise<{ url: string }> {
  const form = new FormData();
  form.append("file", new Blob([file.data], { type: MIME[file.format] }), file.fileName);
  form.append("uploadPath", UPLOAD_PATH);
  // Named by content: KIE overwrites a file uploaded again under the same name.
  form.append("fileName", file.fileName);
  const data = asRecord(await call("upload", "POST", "/api/file-stream-upload", form, signal));
  // The endpoint pages say `downloadUrl`; the quickstart's example says `fileUrl`: read both.
  for (const candidate of [data?.downloadUrl, data?.fileUrl]) {
    if (typeof candidate === "string" && /^https?:\/\//i.test(candidate)) return { url: candidate };
  }
  throw new ProviderError(
    "KIE's upload answer names no file URL (neither data.downloadUrl nor data.fileUrl)",
    {
      kind: "transient",
      code: "KIE_UPLOAD_NO_URL",
    },
  );
}
