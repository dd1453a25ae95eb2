import { randomBytes } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import type { SimContext } from "./sim-context.js";
import { readJsonBody, readRawBody, sendJson } from "./sim-http.js";
import { MAX_UPLOAD_BYTES, readMultipart } from "./sim-uploads.js";
import type { SimWorkflow } from "./sim-workflows.js";

type Fail = (
  res: ServerResponse,
  status: number,
  message: string,
  type: string,
  headers: Record<string, string>,
) => void;

/** The vendor client's line between the inline door and the presigned flow. */
const INLINE_MAX_BYTES = 4 * 1024 * 1024;
const MAX_BYTES = 25 * 1024 * 1024;

/**
 * Wireflow's media endpoints as its vendor skill shows them (docs/provider-contracts.md, Wireflow
 * uploads): `POST /media/upload` (multipart `file`, up to 4 MB here; or JSON `{url}` of this
 * simulator's own files), and the presigned flow `POST /media/upload-url` → `PUT` the bytes to the
 * returned `uploadUrl` with its `headers` and no key → `POST /media/upload-url/complete {mediaId}`.
 * Every answer is `{data: {url}}` with a media URL a workflow's image input takes.
 */
export function createWireflowMedia(ctx: SimContext, fail: Fail) {
  const pending = new Map<string, { contentType: string; size: number; name: string; data?: Buffer }>();

  const stored = (res: ServerResponse, headers: Record<string, string>, data: Buffer, name: string) => {
    if (ctx.random() < ctx.options().faults.upload5xxRate) {
      ctx.stats.count("wireflow.upload.500");
      return fail(res, 500, "Internal server error", "api_error", headers);
    }
    const file = ctx.media.put("wireflow", data, name);
    sendJson(res, 200, { data: { url: file.url } }, headers);
  };

  async function upload(req: IncomingMessage, res: ServerResponse, headers: Record<string, string>) {
    if ((req.headers["content-type"] ?? "").startsWith("application/json")) {
      const body = (await readJsonBody(req).catch(() => undefined)) as { url?: unknown } | undefined;
      const url = typeof body?.url === "string" ? body.url : "";
      const fetched = url.startsWith(ctx.baseUrl()) ? await fetch(url).catch(() => undefined) : undefined;
      if (!fetched?.ok) return fail(res, 400, "Could not fetch the url", "invalid_request_error", headers);
      return stored(res, headers, Buffer.from(await fetched.arrayBuffer()), url.split("/").pop() || "media");
    }
    const fields = await readMultipart(req).catch(() => undefined);
    const file = fields?.get("file");
    if (!file || typeof file === "string")
      return fail(res, 400, "Expected a multipart file field", "invalid_request_error", headers);
    if (file.data.length > INLINE_MAX_BYTES)
      return fail(
        res,
        413,
        "File too large for direct upload; use /media/upload-url",
        "invalid_request_error",
        headers,
      );
    stored(res, headers, file.data, file.name || "media");
  }

  async function mint(req: IncomingMessage, res: ServerResponse, headers: Record<string, string>) {
    const body = (await readJsonBody(req).catch(() => undefined)) as Record<string, unknown> | undefined;
    const contentType = typeof body?.contentType === "string" ? body.contentType : "";
    const size = typeof body?.size === "number" ? body.size : -1;
    if (!contentType || size <= 0 || size > MAX_BYTES)
      return fail(
        res,
        400,
        "contentType and size (at most 25MB) are required",
        "invalid_request_error",
        headers,
      );
    const mediaId = `${randomBytes(8).toString("hex")}.${contentType.split("/")[1] ?? "bin"}`;
    pending.set(mediaId, {
      contentType,
      size,
      name: typeof body?.fileName === "string" ? body.fileName : mediaId,
    });
    const uploadUrl = `${ctx.baseUrl()}/__wf-storage/${encodeURIComponent(mediaId)}?sig=${randomBytes(6).toString("hex")}`;
    sendJson(
      res,
      200,
      {
        data: {
          uploadUrl,
          method: "PUT",
          mediaId,
          headers: { "Content-Type": contentType, "Content-Length": String(size) },
        },
      },
      headers,
    );
  }

  async function complete(req: IncomingMessage, res: ServerResponse, headers: Record<string, string>) {
    const body = (await readJsonBody(req).catch(() => undefined)) as { mediaId?: unknown } | undefined;
    const entry = typeof body?.mediaId === "string" ? pending.get(body.mediaId) : undefined;
    if (!entry?.data)
      return fail(res, 400, "Nothing was uploaded for this mediaId", "invalid_request_error", headers);
    pending.delete(body?.mediaId as string);
    stored(res, headers, entry.data, entry.name);
  }

  return {
    /** `/api/v1/media/…` (after the key and rate gate); false for any other path. */
    async handle(path: string, req: IncomingMessage, res: ServerResponse, headers: Record<string, string>) {
      const route = `${req.method} ${path}`;
      if (route === "POST /api/v1/media/upload") await upload(req, res, headers);
      else if (route === "POST /api/v1/media/upload-url") await mint(req, res, headers);
      else if (route === "POST /api/v1/media/upload-url/complete") await complete(req, res, headers);
      else return false;
      return true;
    },
    /** The storage host's PUT: signed by its URL and headers; a bearer key sent here has leaked. */
    async put(req: IncomingMessage, res: ServerResponse, url: URL): Promise<boolean> {
      const m = /^\/__wf-storage\/([^/]+)$/.exec(url.pathname);
      if (!m || req.method !== "PUT") return false;
      const entry = pending.get(decodeURIComponent(m[1] as string));
      if (req.headers.authorization) ctx.stats.count("wireflow.storage.key-leaked");
      const data = await readRawBody(req, MAX_UPLOAD_BYTES);
      if (
        !entry ||
        !url.searchParams.get("sig") ||
        req.headers["content-type"] !== entry.contentType ||
        data.length !== entry.size
      ) {
        res.writeHead(403).end("SignatureDoesNotMatch");
        return true;
      }
      entry.data = data;
      res.writeHead(200).end();
      return true;
    },
  };
}

/** An image input naming an upload to this simulator must still find it, and it must be an image. */
export function wireflowImagesProblem(
  ctx: SimContext,
  workflow: SimWorkflow,
  body: unknown,
): string | undefined {
  const inputs = ((body as { inputs?: Record<string, unknown> }).inputs ?? {}) as Record<string, unknown>;
  for (const input of workflow.inputs) {
    const value = inputs[input.nodeId];
    if (input.type !== "image" || typeof value !== "string") continue;
    const problem = ctx.media.problemWith(value, ["image/jpeg", "image/png", "image/webp"]);
    if (problem) return `${input.label}: ${problem}`;
  }
  return undefined;
}
