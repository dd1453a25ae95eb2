import { redactDeep, redactSecrets } from "../util/redact.js";
import { type HttpResponse, NetworkError, sendRequest } from "./http-client.js";
import { ProviderError } from "./provider-error.js";

export interface ProviderCall<T> {
  /** The provider's name for messages ("KIE", "Kling", "Wireflow"). */
  provider: string;
  method: "GET" | "POST";
  url: string;
  /** The Authorization header's value. */
  authorization: string;
  /** Further headers (an idempotency key). */
  headers?: Record<string, string>;
  json?: unknown;
  /** A create (paid): a request that may have been sent but got no answer has an unknown outcome. */
  isCreate: boolean;
  signal?: AbortSignal;
  /** Secrets to remove from any message made of provider text. */
  secrets: readonly string[];
  /** Reads the answer: the result, or a classified ProviderError. */
  read: (response: HttpResponse) => T;
}

/**
 * One call to a provider's API, the same for every adapter: send once (never retried here), turn
 * a missing answer into a classified error, redact every secret from whatever the provider said,
 * and read the answer with the adapter's own reader.
 */
export async function callProvider<T>(call: ProviderCall<T>): Promise<T> {
  let response: HttpResponse;
  try {
    response = await sendRequest({
      method: call.method,
      url: call.url,
      headers: { ...call.headers, authorization: call.authorization },
      ...(call.json !== undefined ? { json: call.json } : {}),
      // An upload carries megabytes: give it minutes, not the seconds a status call gets.
      timeoutMs: call.json instanceof FormData ? 300_000 : call.isCreate ? 60_000 : 30_000,
      ...(call.signal ? { signal: call.signal } : {}),
    });
  } catch (error) {
    classifyNetworkFailure(error, call.isCreate, call.provider);
  }
  // Everything the provider sent is redacted here, once, before any reader cuts it short or it
  // reaches the ledger: task ids, URLs, messages, headers.
  const clean: HttpResponse = {
    status: response.status,
    headers: redactDeep(response.headers, call.secrets) as HttpResponse["headers"],
    body: redactDeep(response.body, call.secrets),
    text: redactSecrets(response.text, call.secrets),
  };
  try {
    return call.read(clean);
  } catch (error) {
    // Provider text ends up in the ledger and the results: a key echoed back must not.
    if (error instanceof Error) error.message = redactSecrets(error.message, call.secrets);
    throw error;
  }
}

/** One adapter's way to its API: a call kind, the method, the path under the base URL, a body. */
export type ApiCall<C extends string, T> = (
  call: C,
  method: "GET" | "POST",
  path: string,
  json?: unknown,
  signal?: AbortSignal,
  headers?: Record<string, string>,
) => Promise<T>;

/**
 * Binds callProvider to one adapter: its base URL, how it authorises (read per call, as a token
 * may be renewed), its secrets, its reader, and an optional wait before each call (a request budget).
 */
export function createApiCall<C extends string, T>(api: {
  provider: string;
  baseUrl: string;
  /** The call kind that creates a (paid) task. */
  createCall: C;
  authorization: () => string;
  secrets: () => readonly string[];
  read: (response: HttpResponse, call: C) => T;
  before?: (signal?: AbortSignal) => Promise<void>;
}): ApiCall<C, T> {
  const base = api.baseUrl.replace(/\/+$/, "");
  return async (call, method, path, json, signal, headers) => {
    await api.before?.(signal);
    return callProvider({
      provider: api.provider,
      method,
      url: `${base}${path}`,
      authorization: api.authorization(),
      ...(headers ? { headers } : {}),
      ...(json !== undefined ? { json } : {}),
      isCreate: call === api.createCall,
      ...(signal ? { signal } : {}),
      secrets: api.secrets(),
      read: (response) => api.read(response, call),
    });
  };
}

/**
 * Turns a request that got no HTTP answer into a ProviderError. For a create, a request that may
 * have reached the server is `unknown_outcome` (the task may exist and be billed); for a read it is
 * simply transient. Anything else is rethrown: it is a bug, not a network condition.
 */
export function classifyNetworkFailure(error: unknown, isCreate: boolean, provider: string): never {
  if (error instanceof NetworkError) {
    const outcomeUnknown = isCreate && error.mayHaveBeenSent;
    const message = outcomeUnknown
      ? `${provider}: the connection failed after the request was sent (${error.code}); the task may exist`
      : `${provider}: ${error.message}`;
    throw new ProviderError(message, {
      kind: outcomeUnknown ? "unknown_outcome" : "transient",
      code: error.code,
    });
  }
  throw error;
}

/**
 * The rule every adapter shares for a create answered by a gateway (HTTP 502/504 without the
 * provider's own envelope): the request may have reached the provider and made a task before the
 * gateway gave up, so resending it could pay twice. Throws `unknown_outcome` in that case.
 */
export function rejectLostCreate(
  response: HttpResponse,
  options: { isCreate: boolean; enveloped: boolean; provider: string; codePrefix: string },
): void {
  if (!options.isCreate || options.enveloped) return;
  if (response.status !== 502 && response.status !== 504) return;
  throw new ProviderError(
    `${options.provider}'s gateway answered HTTP ${response.status} without a ${options.provider} answer; the task may exist`,
    {
      kind: "unknown_outcome",
      code: `${options.codePrefix}_GATEWAY_${response.status}`,
      status: response.status,
    },
  );
}
