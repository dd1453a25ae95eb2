import type { IncomingMessage, ServerResponse } from "node:http";
import type { SimContext } from "./sim-context.js";

export async function readJsonBody(req: IncomingMessage, limit = 1_000_000): Promise<unknown> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > limit) throw new Error("body too large");
    chunks.push(chunk as Buffer);
  }
  const text = Buffer.concat(chunks).toString("utf8");
  if (text.trim() === "") return undefined;
  return JSON.parse(text);
}

export function sendJson(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    "content-type": "application/json",
    "content-length": Buffer.byteLength(text),
    ...headers,
  });
  res.end(text);
}

/** Drops the connection without an answer, as a crashed proxy or a network cut would. */
export function dropConnection(req: IncomingMessage): void {
  req.socket.destroy();
}

export function bearerToken(req: IncomingMessage): string | undefined {
  const header = req.headers.authorization;
  const m = typeof header === "string" ? /^Bearer\s+(.+)$/i.exec(header) : null;
  return m?.[1]?.trim();
}

/**
 * The end of every simulated create, once the task exists: the connection may drop (the fault that
 * makes an outcome unknown), or the answer may come late (`createDelayMs`), or not at all when the
 * client has gone.
 */
export function finishCreate(
  ctx: SimContext,
  provider: string,
  req: IncomingMessage,
  res: ServerResponse,
  answer: () => void,
): void {
  if (ctx.random() < ctx.options().faults.createDropRate) {
    ctx.stats.count(`${provider}.create.dropped`);
    dropConnection(req);
    return;
  }
  const send = () => {
    if (!res.destroyed && !req.socket.destroyed) answer();
  };
  const delay = ctx.options().createDelayMs;
  if (delay > 0) setTimeout(send, delay).unref();
  else send();
}
