import { createHmac, timingSafeEqual } from "node:crypto";

/** Both documented schemes reject a callback whose timestamp is more than 5 minutes off. */
export const WEBHOOK_TOLERANCE_MS = 5 * 60_000;

export type SignatureCheck = { ok: true } | { ok: false; problem: string };

function sameText(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

function checkTimestamp(seconds: string, now: number): SignatureCheck | undefined {
  const at = Number(seconds) * 1000;
  if (!Number.isFinite(at)) return { ok: false, problem: "its timestamp is not a number" };
  if (Math.abs(now - at) > WEBHOOK_TOLERANCE_MS)
    return {
      ok: false,
      problem: "its timestamp is more than 5 minutes off (a replay, or this clock is wrong)",
    };
  return undefined;
}

/**
 * KIE's webhook HMAC: `X-Webhook-Signature = base64(HMAC-SHA256(taskId + "." + timestamp, key))`,
 * `X-Webhook-Timestamp` in Unix seconds, compared in constant time.
 */
export function checkKieSignature(
  key: string,
  taskId: string,
  timestamp: string,
  signature: string,
  now: number,
): SignatureCheck {
  const stale = checkTimestamp(timestamp, now);
  if (stale) return stale;
  const expected = createHmac("sha256", key).update(`${taskId}.${timestamp}`).digest("base64");
  return sameText(expected, signature.trim())
    ? { ok: true }
    : { ok: false, problem: "its signature does not match" };
}

/**
 * Standard Webhooks (Kling): `webhook-signature` holds one or more space-separated `v1,<base64>`
 * (several during a key rotation), each `base64(HMAC-SHA256(id.timestamp.rawBody, key))` where the
 * key is the base64 after `whsec_`.
 */
export function checkStandardWebhook(
  secret: string,
  id: string,
  timestamp: string,
  signatures: string,
  rawBody: string,
  now: number,
): SignatureCheck {
  const stale = checkTimestamp(timestamp, now);
  if (stale) return stale;
  const key = Buffer.from(secret.replace(/^whsec_/, ""), "base64");
  const expected = createHmac("sha256", key).update(`${id}.${timestamp}.${rawBody}`).digest("base64");
  const match = signatures
    .split(" ")
    .map((s) => s.trim())
    .some((s) => s.startsWith("v1,") && sameText(s.slice(3), expected));
  return match ? { ok: true } : { ok: false, problem: "its signature does not match" };
}

/** The body as JSON, or undefined. */
export function parseCallbackBody(rawBody: string): unknown {
  try {
    return JSON.parse(rawBody);
  } catch {
    return undefined;
  }
}
