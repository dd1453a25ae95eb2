import type { FrameRules } from "../../frames/frame-rules.js";
import { sendRequest } from "../http-client.js";
import type { FrameUpload } from "../provider.js";
import { type ApiCall, classifyNetworkFailure } from "../provider-call.js";
import { ProviderError } from "../provider-error.js";
import { asRecord } from "../read-json.js";
import type { WireflowCall } from "./wireflow-response.js";

/**
 * The vendor's client sends files up to 4 MB to `POST /media/upload` and larger ones through the
 * presigned flow; its skill says uploads take "up to 25MB" (docs/provider-contracts.md, Wireflow
 * uploads). The workflow's own model may ask more of an image: that is the workflow's to say.
 */
export const WIREFLOW_INLINE_UPLOAD_MAX_BYTES = 4 * 1024 * 1024;
export const WIREFLOW_FRAME_RULES: FrameRules = {
  who: "Wireflow's media upload",
  formats: ["jpeg", "png", "webp"],
  maxBytes: 25 * 1024 * 1024,
};

const MIME = { jpeg: "image/jpeg", png: "image/png", webp: "image/webp" } as const;

function urlOf(data: Record<string, unknown>, step: string): string {
  const url = data.url;
  if (typeof url === "string" && /^https?:\/\//i.test(url)) return url;
  throw new ProviderError(`Wireflow's ${step} answer names no media URL (data.url)`, {
    kind: "transient",
    code: "WIREFLOW_UPLOAD_NO_URL",
  });
}

/** Uploads one frame and returns the `cdn.wireflow.ai` URL a workflow's image input takes. */
export async function uploadWireflowFrame(
  call: ApiCall<WireflowCall, Record<string, unknown>>,
  file: FrameUpload,
  signal?: AbortSignal,
): Promise<{ url: string }> {
  const contentType = MIME[file.format];
  if (file.bytes <= WIREFLOW_INLINE_UPLOAD_MAX_BYTES) {
    const form = new FormData();
    // The part's type is given: the server otherwise guesses from the extension.
    form.append("file", new Blob([file.data], { type: contentType }), file.fileName);
    return { url: urlOf(await call("upload", "POST", "/media/upload", form, signal), "upload") };
  }
  // The presigned flow: mint an upload URL, PUT the bytes there (with the signed headers as given
  // and never the API key: it is another host), then complete to get the media URL.
  const mint = await call(
    "upload",
    "POST",
    "/media/upload-url",
    { fileName: file.fileName, contentType, size: file.bytes },
    signal,
  );
  const uploadUrl = mint.uploadUrl;
  const mediaId = mint.mediaId;
  if (typeof uploadUrl !== "string" || !/^https?:\/\//i.test(uploadUrl) || typeof mediaId !== "string")
    throw new ProviderError("Wireflow's upload-url answer names no uploadUrl and mediaId", {
      kind: "transient",
      code: "WIREFLOW_UPLOAD_NO_URL",
    });
  const signed: Record<string, string> = {};
  for (const [name, value] of Object.entries(asRecord(mint.headers) ?? {}))
    if (typeof value === "string" && name.toLowerCase() !== "authorization") signed[name] = value;
  let status: number;
  try {
    ({ status } = await sendRequest({
      method: "PUT",
      url: uploadUrl,
      headers: { "content-type": contentType, ...signed },
      body: file.data,
      timeoutMs: 300_000,
      ...(signal ? { signal } : {}),
    }));
  } catch (error) {
    classifyNetworkFailure(error, false, "Wireflow storage");
  }
  if (status < 200 || status >= 300)
    throw new ProviderError(`Wireflow's storage refused the upload (HTTP ${status})`, {
      kind: status >= 500 || status === 403 || status === 429 ? "transient" : "rejected",
      code: `WIREFLOW_PUT_${status}`,
      status,
    });
  return {
    url: urlOf(
      await call("upload", "POST", "/media/upload-url/complete", { mediaId }, signal),
      "upload-url/complete",
    ),
  };
}
