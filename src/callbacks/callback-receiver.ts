import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import type { CallbackHandler } from "../batch/callback-inbox.js";

/** A callback body larger than this is refused (KIE's and Kling's are a few KiB). */
const MAX_BODY_BYTES = 1024 * 1024;

export interface ReceiverSettings {
  /** Where to listen (`--listen`). */
  host: string;
  port: number;
  /** The public address that reaches this listener (`--callback-url`); default `http://host:port`. */
  publicUrl?: string;
  /** The batch's secret path segment: a callback must know it to be read at all. */
  secret: string;
}

export interface CallbackReceiver {
  /** `<public URL>/<secret>/<external id>`: the address a task's provider is told to call. */
  urlFor(externalId: string): string;
  /** The run's handler for deliveries (undefined while no run is attached: 503, call again later). */
  attach(handler: CallbackHandler | undefined): void;
  /** `host:port` actually listened on. */
  listening: string;
  /** The public base URL without the secret, for messages. */
  publicBase: string;
  close(): Promise<void>;
}

function readBody(req: IncomingMessage): Promise<string | undefined> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on("data", (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
        resolve(undefined);
        req.destroy();
        return;
      }
      chunks.push(chunk);
    });
    req.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    req.on("error", reject);
  });
}

/**
 * Kling's console test: `{"id", "status": "submitted", "outputs": [], "message": ""}` (the current
 * standard's callback shape, for no real task). Anything else on the bare address stays a 404.
 */
function isTestCallback(rawBody: string | undefined): boolean {
  if (rawBody === undefined) return false;
  try {
    const body = JSON.parse(rawBody) as Record<string, unknown>;
    return typeof body.id === "string" && typeof body.status === "string" && Array.isArray(body.outputs);
  } catch {
    return false;
  }
}

/** A malformed %-escape is an unknown path (404), not a server error. */
function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return "";
  }
}

function reply(res: ServerResponse, status: number, msg: string, headers: Record<string, string> = {}): void {
  const body = JSON.stringify({ code: status, msg });
  res.writeHead(status, {
    "content-type": "application/json",
    "content-length": Buffer.byteLength(body),
    ...headers,
  });
  res.end(body);
}

/**
 * The small HTTP server a run starts for completion callbacks. It answers only POSTs to
 * `<path of the public URL>/<secret>/<external id>` (anything else is a 404 that says nothing),
 * reads at most 1 MiB, and hands each delivery to the run, which answers 200 for anything it reads
 * (repeats and late ones too, so providers stop retrying) and 401 for a bad signature.
 */
export async function startCallbackReceiver(settings: ReceiverSettings): Promise<CallbackReceiver> {
  let handler: CallbackHandler | undefined;
  const server = createServer((req, res) => {
    void serve(req, res).catch(() => {
      if (!res.headersSent) reply(res, 500, "error");
      else res.destroy();
    });
  });
  server.requestTimeout = 10_000;
  server.headersTimeout = 10_000;
  server.keepAliveTimeout = 5_000;
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(settings.port, settings.host, () => {
      server.off("error", reject);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  const listening = `${address.address.includes(":") ? `[${address.address}]` : address.address}:${address.port}`;
  const publicBase = (settings.publicUrl ?? `http://${listening}`).replace(/\/+$/, "");
  const basePath = new URL(publicBase).pathname.replace(/\/+$/, "");
  const prefix = `${basePath}/${settings.secret}/`;

  async function serve(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const path = new URL(req.url ?? "/", "http://receiver").pathname;
    const externalId = path.startsWith(prefix) ? safeDecode(path.slice(prefix.length)) : "";
    if (req.method === "POST" && path.replace(/\/+$/, "") === basePath) {
      // Kling's console "send test callback" posts to the address the user gave: a 200 tells them
      // it reaches this run. It names no task of ours and changes nothing.
      const rawBody = await readBody(req);
      return isTestCallback(rawBody) ? reply(res, 200, "success") : reply(res, 404, "not found");
    }
    if (!/^[\w.-]{1,200}$/.test(externalId)) {
      req.resume();
      return reply(res, 404, "not found");
    }
    if (req.method !== "POST") {
      req.resume();
      return reply(res, 405, "POST only", { allow: "POST" });
    }
    const rawBody = await readBody(req);
    if (rawBody === undefined) return reply(res, 413, "body too large");
    if (!handler) return reply(res, 503, "not ready", { "retry-after": "5" });
    const headers: Record<string, string | undefined> = {};
    for (const [name, value] of Object.entries(req.headers))
      headers[name.toLowerCase()] = Array.isArray(value) ? value.join(" ") : value;
    const verdict = handler(externalId, { headers, rawBody, receivedAt: Date.now() });
    reply(res, verdict.status, verdict.status === 200 ? "success" : verdict.note);
  }

  return {
    urlFor: (externalId) => `${publicBase}/${settings.secret}/${encodeURIComponent(externalId)}`,
    attach(next) {
      handler = next;
    },
    listening,
    publicBase,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
