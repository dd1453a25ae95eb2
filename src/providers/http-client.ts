import got, { type RequestError } from "got";
import { API_AGENTS } from "../util/http-agents.js";
import { setting } from "../util/setting-name.js";

export interface HttpRequest {
  method: "GET" | "POST" | "PUT";
  url: string;
  headers?: Record<string, string>;
  /** A JSON body, or a multipart form (an upload), sent as it is. */
  json?: unknown;
  /** Raw bytes (a PUT to a presigned storage URL). */
  body?: Buffer;
  timeoutMs?: number;
  signal?: AbortSignal;
}

export interface HttpResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  /** The body parsed as JSON, or undefined when it is not JSON. */
  body: unknown;
  text: string;
}

/** A request that got no HTTP response at all. `mayHaveBeenSent` is false only when provably not. */
export class NetworkError extends Error {
  constructor(
    message: string,
    readonly code: string,
    readonly mayHaveBeenSent: boolean,
  ) {
    super(message);
    this.name = "NetworkError";
  }
}

// Errors raised before a single byte can have reached the server.
const NOT_SENT_CODES = new Set([
  "ECONNREFUSED",
  "ENOTFOUND",
  "EAI_AGAIN",
  "ENETUNREACH",
  "EHOSTUNREACH",
  "ERR_INVALID_URL",
  "ERR_ABORTED_BEFORE_SEND",
  "ERR_UNSUPPORTED_PROTOCOL",
]);

/** Whether a network error code proves the request never left this machine. */
export function wasNeverSent(code: string | undefined): boolean {
  return code !== undefined && NOT_SENT_CODES.has(code);
}

const MAX_REDIRECTS = 5;

const USER_AGENT = "Mozilla/5.0 (compatible; vidbatch/0.1; +https://www.npmjs.com/package/vidbatch)";

/**
 * One HTTP exchange, no retries: retry policy belongs to the caller, because whether a request may
 * be repeated depends on what it does (a paid createTask must never be resent blindly). Errors carry
 * only what we put in them — never the request options, whose headers hold the API key.
 */
export async function sendRequest(request: HttpRequest): Promise<HttpResponse> {
  let url = request.url;
  for (let hops = 0; ; hops++) {
    const response = await sendOnce({ ...request, url });
    if (response.status < 300 || response.status >= 400) return response;
    const location = response.headers.location;
    const next = typeof location === "string" ? safeUrl(location, url) : undefined;
    // The key goes with the request: follow only a GET, only on the same scheme, host and port.
    // A POST is never sent again on a redirect (it could be a paid create).
    const sameOrigin = next !== undefined && next.origin === new URL(url).origin;
    if (request.method === "GET" && sameOrigin && hops < MAX_REDIRECTS && next) {
      url = next.href;
      continue;
    }
    const where = next ? next.origin : "an unreadable address";
    // 307/308 tell the client to repeat the request elsewhere: it was not acted on. Any other
    // redirect after a POST may follow a request that was (POST, then see-other).
    const notActedOn = response.status === 307 || response.status === 308 || request.method === "GET";
    throw new NetworkError(
      `${request.method} ${new URL(request.url).host}: the API redirected (HTTP ${response.status}) to ${where}; not followed with the key. Point ${setting("baseUrl")} at the right address`,
      "ERR_REDIRECT_REFUSED",
      !notActedOn,
    );
  }
}

function safeUrl(location: string, base: string): URL | undefined {
  try {
    return new URL(location, base);
  } catch {
    return undefined;
  }
}

async function sendOnce(request: HttpRequest): Promise<HttpResponse> {
  try {
    const response = await got(request.url, {
      method: request.method,
      headers: { "user-agent": USER_AGENT, accept: "application/json", ...request.headers },
      ...(request.json instanceof FormData
        ? { body: request.json }
        : request.json !== undefined
          ? { json: request.json }
          : {}),
      ...(request.body ? { body: request.body } : {}),
      throwHttpErrors: false,
      followRedirect: false,
      retry: { limit: 0 },
      agent: API_AGENTS,
      timeout: { request: request.timeoutMs ?? 60_000 },
      ...(request.signal ? { signal: request.signal } : {}),
      responseType: "text",
    });
    let body: unknown;
    try {
      body = response.body === "" ? undefined : JSON.parse(response.body);
    } catch {
      body = undefined;
    }
    return { status: response.statusCode, headers: response.headers, body, text: response.body };
  } catch (error) {
    const e = error as RequestError;
    const code = typeof e.code === "string" ? e.code : "ENETWORK";
    const sent = !NOT_SENT_CODES.has(code);
    const what =
      code === "ETIMEDOUT"
        ? "timed out waiting for an answer"
        : code === "ECONNREFUSED"
          ? "connection refused"
          : `connection failed (${code})`;
    throw new NetworkError(`${request.method} ${new URL(request.url).host}: ${what}`, code, sent);
  }
}
