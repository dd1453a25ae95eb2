import type { IncomingMessage, ServerResponse } from "node:http";
import type { SimContext } from "./sim-context.js";

export async function readJsonBody(req: IncomingMessage, limit = 1_000_000): Promise<unknown> {
  const text = (await readRawBody(req, limit)).toString("utf8");
  if (text.trim() === "") return undefined;
  return JSON.parse(text);
}

/** Reads a request body whole, up to `limit` bytes. */
export async function readRawBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > limit) throw new Error("body too large");
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

/** Per answer: the credentials a hostile server would echo back (see `echoSecrets`), and how far. */
const echoes = new WeakMap<ServerResponse, { text: string; ids: boolean }>();

export function echoInto(res: ServerResponse, text: string, ids: boolean): void {
  echoes.set(res, { text, ids });
}

const TEXT_FIELDS = new Set(["msg", "message", "error", "failMsg", "task_status_msg"]);
const ID_FIELDS = new Set(["taskId", "task_id", "executionId", "id"]);

/**
 * A misbehaving provider: the caller's credentials put into every field a server controls — every
 * message, every URL (`?sig=`), KIE's resultJson, and with `ids` every task or execution id.
 */
export function echoSecrets(value: unknown, echo: { text: string; ids: boolean }, key = ""): unknown {
  if (typeof value === "string") {
    if (key === "resultJson" && value !== "")
      return JSON.stringify(echoSecrets(JSON.parse(value) as unknown, echo));
    if (/^https?:\/\//.test(value))
      return `${value}${value.includes("?") ? "&" : "?"}sig=${encodeURIComponent(echo.text)}`;
    if (TEXT_FIELDS.has(key)) return `${value} (credentials seen: ${echo.text})`;
    if (echo.ids && ID_FIELDS.has(key)) return `${value}-${echo.text}`;
    return value;
  }
  if (Array.isArray(value)) return value.map((v) => echoSecrets(v, echo, key));
  if (typeof value === "object" && value !== null)
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, echoSecrets(v, echo, k)]));
  return value;
}

export function sendJson(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  const echo = echoes.get(res);
  const text = JSON.stringify(echo ? echoSecrets(body, echo) : body);
  if (echo) headers = { ...headers, "x-seen-credentials": echo.text };
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
  // A dropped answer comes after the same delay as a real one: the task exists meanwhile.
  const drop = ctx.random() < ctx.options().faults.createDropRate;
  const send = () => {
    if (drop) {
      ctx.stats.count(`${provider}.create.dropped`);
      dropConnection(req);
    } else if (!res.destroyed && !req.socket.destroyed) answer();
  };
  const delay = ctx.options().createDelayMs;
  if (delay > 0) setTimeout(send, delay).unref();
  else send();
}
