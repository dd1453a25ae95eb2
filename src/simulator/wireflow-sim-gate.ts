import { randomUUID } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import type { SimContext } from "./sim-context.js";
import { bearerToken, sendJson } from "./sim-http.js";
import { SimRateWindow } from "./sim-rate-window.js";

/**
 * What every Wireflow answer passes first (docs/provider-contracts.md, Wireflow auth, errors and
 * limits): the key, the plan's per-minute request budget with X-RateLimit-* headers on every
 * answer, and errors in either documented envelope.
 */
export function createWireflowGate(ctx: SimContext) {
  const requestWindows = new Map<string, SimRateWindow>();
  let variant = 0;

  /** Per-key counts over the plan's window (a minute, unless a test shortens it). */
  const windowOf = (map: Map<string, SimRateWindow>, key: string, max: number) => {
    const windowMs = ctx.options().wireflow.windowMs;
    let w = map.get(key);
    if (!w || w.max !== max || w.windowMs !== windowMs) {
      w = new SimRateWindow(max, windowMs);
      map.set(key, w);
    }
    return w;
  };

  /** Rate-limit headers for this key, as sent on every answer. */
  function limitHeaders(key: string, now: number): Record<string, string> {
    const { requestsPerMinute } = ctx.options().wireflow;
    const w = windowOf(requestWindows, key, requestsPerMinute);
    const remaining = Math.max(0, requestsPerMinute - w.count(now));
    return {
      "x-ratelimit-limit": String(requestsPerMinute),
      "x-ratelimit-remaining": String(remaining),
      "x-ratelimit-reset": String(Math.ceil(w.nextExpiry(now) / 1000)),
      "x-request-id": randomUUID(),
    };
  }

  /** Errors alternate between the two documented envelopes. */
  function fail(
    res: ServerResponse,
    status: number,
    message: string,
    type: string,
    headers: Record<string, string> = {},
    extra: Record<string, unknown> = {},
  ) {
    ctx.stats.count(`wireflow.error.${status}`);
    const body =
      variant++ % 2 === 0
        ? { error: message, ...extra }
        : { error: { type, message, code: String(status) }, ...extra };
    sendJson(res, status, body, headers);
  }

  /** Auth and the per-minute request budget; the caller's key, or undefined when answered. */
  function admit(
    req: IncomingMessage,
    res: ServerResponse,
  ): { key: string; headers: Record<string, string> } | undefined {
    const token = bearerToken(req);
    const { apiKey, requestsPerMinute } = ctx.options().wireflow;
    if (!token) {
      fail(res, 401, "Missing Authorization header", "authentication_error");
      return undefined;
    }
    if (!/^(sk-|wf_)/.test(token)) {
      fail(res, 401, "Invalid API key format. Expected: Bearer sk-...", "authentication_error");
      return undefined;
    }
    if (apiKey !== undefined && token !== apiKey) {
      fail(res, 401, "Invalid API key", "authentication_error");
      return undefined;
    }
    const now = Date.now();
    const window = windowOf(requestWindows, token, requestsPerMinute);
    if (!window.tryTake(now)) {
      ctx.stats.count("wireflow.429");
      const headers = limitHeaders(token, now);
      const retryAt = Math.ceil((now + window.waitTime(now)) / 1000);
      // Retry-After is not always sent (the vendor's own script says it never is): alternate.
      if (variant % 2 === 0) headers["retry-after"] = String(Math.max(1, retryAt - Math.floor(now / 1000)));
      fail(res, 429, "Too many requests. Please try again later.", "rate_limit_error", headers, {
        retryAfter: retryAt,
      });
      return undefined;
    }
    return { key: token, headers: limitHeaders(token, now) };
  }

  return { windowOf, fail, admit };
}
