import type { IncomingMessage } from "node:http";
import { readRawBody } from "./sim-http.js";

/** The largest upload the simulator reads (a frame: a few MB). */
export const MAX_UPLOAD_BYTES = 64 * 1024 * 1024;

/** A multipart/form-data body's fields: files as bytes with their file name, the rest as text. */
export async function readMultipart(
  req: IncomingMessage,
): Promise<Map<string, string | { data: Buffer; name: string; type: string }> | undefined> {
  const type = req.headers["content-type"] ?? "";
  if (!type.toLowerCase().startsWith("multipart/form-data")) return undefined;
  const raw = await readRawBody(req, MAX_UPLOAD_BYTES);
  let form: FormData;
  try {
    form = await new Response(raw, { headers: { "content-type": type } }).formData();
  } catch {
    return undefined;
  }
  const fields = new Map<string, string | { data: Buffer; name: string; type: string }>();
  for (const [name, value] of form.entries()) {
    if (typeof value === "string") fields.set(name, value);
    else
      fields.set(name, {
        data: Buffer.from(await value.arrayBuffer()),
        name: (value as File).name,
        type: value.type,
      });
  }
  return fields;
}
