import got, { type RequestError } from "got";

export interface HttpRequest {
  method: "GET" | "POST";
  url: string;
  headers?: Record<string, string>;
  json?: unknown;
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
]);

const USER_AGENT = "Mozilla/5.0 (compatible; vidbatch/0.1; +https://www.npmjs.com/package/vidbatch)";

/**
 * One HTTP exchange, no retries: retry policy belongs to the caller, because whether a request may
 * be repeated depends on what it does (a paid createTask must never be resent blindly). Errors carry
 * only what we put in them — never the request options, whose headers hold the API key.
 */
export async function sendRequest(request: HttpRequest): Promise<HttpResponse> {
  try {
    const response = await got(request.url, {
      method: request.method,
      headers: { "user-agent": USER_AGENT, accept: "application/json", ...request.headers },
      ...(request.json !== undefined ? { json: request.json } : {}),
      throwHttpErrors: false,
      followRedirect: true,
      retry: { limit: 0 },
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
