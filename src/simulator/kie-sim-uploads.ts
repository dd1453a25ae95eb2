import type { IncomingMessage, ServerResponse } from "node:http";
import type { SimContext } from "./sim-context.js";
import { dropConnection, readJsonBody, sendJson } from "./sim-http.js";
import { sniffImage } from "./sim-image.js";
import { readMultipart } from "./sim-uploads.js";

type Fail = (res: ServerResponse, code: number, msg: string) => void;

/**
 * KIE's file upload API as documented (docs/provider-contracts.md, KIE uploads): stream (multipart
 * `file`, `uploadPath`, `fileName`), Base64 (JSON `base64Data`, with or without a `data:` prefix)
 * and URL uploads, each answering `{success, code, msg, data}` in one of the documented shapes.
 * Files are deleted after the retention (`kieUploadRetentionMs`).
 */
export function createKieUploads(
  ctx: SimContext,
  authorized: (req: IncomingMessage, res: ServerResponse) => string | undefined,
) {
  let answers = 0;
  const fail: Fail = (res, code, msg) => sendJson(res, code, { success: false, code, msg });

  function answer(
    req: IncomingMessage,
    res: ServerResponse,
    data: Buffer,
    uploadPath: string,
    fileName: string,
  ) {
    const opts = ctx.options();
    if (ctx.random() < opts.faults.upload5xxRate) {
      ctx.stats.count("kie.upload.500");
      return fail(res, 500, "Internal server error");
    }
    const file = ctx.media.put("kie", data, fileName, opts.kieUploadRetentionMs);
    if (ctx.random() < opts.faults.uploadDropRate) {
      ctx.stats.count("kie.upload.dropped");
      return dropConnection(req);
    }
    const mimeType = sniffImage(data).type === "other" ? "application/octet-stream" : sniffImage(data).type;
    const shapes = ["endpoint", "quickstart", "fileUrl"] as const;
    const shape = opts.kieUploadAnswer === "mixed" ? shapes[answers++ % shapes.length] : opts.kieUploadAnswer;
    const uploadedAt = new Date(file.uploadedAt).toISOString();
    const common = { fileName, fileSize: data.length, mimeType };
    const body =
      shape === "endpoint"
        ? {
            ...common,
            success: true,
            filePath: `kieai/1/${uploadPath}/${fileName}`,
            downloadUrl: file.url,
            uploadedAt,
          }
        : shape === "quickstart"
          ? {
              ...common,
              fileId: `file_${file.id}`,
              originalName: fileName,
              uploadPath,
              fileUrl: file.url,
              downloadUrl: file.url,
              uploadTime: uploadedAt,
              expiresAt: new Date(file.expiresAt ?? file.uploadedAt).toISOString(),
            }
          : { ...common, filePath: `kieai/1/${uploadPath}/${fileName}`, fileUrl: file.url, uploadedAt };
    sendJson(res, 200, { success: true, code: 200, msg: "File uploaded successfully", data: body });
  }

  async function stream(req: IncomingMessage, res: ServerResponse) {
    const fields = await readMultipart(req).catch(() => undefined);
    if (!fields) return fail(res, 400, "Request must be multipart/form-data");
    const file = fields.get("file");
    const uploadPath = fields.get("uploadPath");
    if (!file || typeof file === "string") return fail(res, 400, "Missing required parameter: file");
    if (typeof uploadPath !== "string" || uploadPath === "")
      return fail(res, 400, "Missing required parameter: uploadPath");
    const name = fields.get("fileName");
    answer(
      req,
      res,
      file.data,
      uploadPath,
      typeof name === "string" && name ? name : file.name || "upload.bin",
    );
  }

  async function base64(req: IncomingMessage, res: ServerResponse) {
    const body = (await readJsonBody(req, 64 * 1024 * 1024).catch(() => undefined)) as
      | Record<string, unknown>
      | undefined;
    if (typeof body?.uploadPath !== "string" || body.uploadPath === "")
      return fail(res, 400, "Missing required parameter: uploadPath");
    const given = typeof body.base64Data === "string" ? body.base64Data : "";
    const text = given.replace(/^data:[^;,]+;base64,/, "");
    if (text === "" || !/^[A-Za-z0-9+/]+={0,2}$/.test(text))
      return fail(res, 400, "Base64 decoding failed: Invalid Base64 format");
    const name = typeof body.fileName === "string" && body.fileName ? body.fileName : "upload.bin";
    answer(req, res, Buffer.from(text, "base64"), body.uploadPath, name);
  }

  /** URL uploads fetch from this simulator only (it has no network); any other address fails. */
  async function fromUrl(req: IncomingMessage, res: ServerResponse) {
    const body = (await readJsonBody(req).catch(() => undefined)) as Record<string, unknown> | undefined;
    if (typeof body?.uploadPath !== "string" || body.uploadPath === "")
      return fail(res, 400, "Missing required parameter: uploadPath");
    const url = typeof body.fileUrl === "string" ? body.fileUrl : "";
    if (!url.startsWith(ctx.baseUrl()))
      return fail(res, 400, "File download failed: the URL is not reachable");
    const fetched = await fetch(url).catch(() => undefined);
    if (!fetched?.ok) return fail(res, 400, `File download failed: HTTP ${fetched?.status ?? "error"}`);
    const name =
      typeof body.fileName === "string" && body.fileName
        ? body.fileName
        : url.split("/").pop() || "upload.bin";
    answer(req, res, Buffer.from(await fetched.arrayBuffer()), body.uploadPath, name);
  }

  return {
    async handle(req: IncomingMessage, res: ServerResponse, url: URL): Promise<boolean> {
      const route = `${req.method} ${url.pathname}`;
      const handler =
        route === "POST /api/file-stream-upload"
          ? stream
          : route === "POST /api/file-base64-upload"
            ? base64
            : route === "POST /api/file-url-upload"
              ? fromUrl
              : undefined;
      if (!handler) return false;
      if (!authorized(req, res)) return true;
      await handler(req, res);
      return true;
    },
  };
}

/** An uploaded frame a create names must still be there, and be JPEG or PNG (KIE's Kling models). */
export function kieImagesProblem(
  ctx: SimContext,
  input: Record<string, unknown>,
  model?: string,
): string | undefined {
  for (const [field, value] of Object.entries(input)) {
    if (!/image/i.test(field)) continue;
    // kling/v2-1-pro's image_url: "image/jpeg" only.
    const accepts =
      model === "kling/v2-1-pro" && field === "image_url"
        ? ["image/jpeg" as const]
        : (["image/jpeg", "image/png"] as const);
    for (const url of Array.isArray(value) ? value : [value]) {
      if (typeof url !== "string") continue;
      const problem = ctx.media.problemWith(url, accepts);
      if (problem) return `input.${field}: ${problem}`;
    }
  }
  return undefined;
}
