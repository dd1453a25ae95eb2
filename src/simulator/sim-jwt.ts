import { createHmac, timingSafeEqual } from "node:crypto";

export type JwtCheck =
  | { ok: true; payload: Record<string, unknown> }
  | { ok: false; reason: "malformed" | "signature" | "not_yet_valid" | "expired" };

function decodeJson(part: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(Buffer.from(part, "base64url").toString("utf8"));
    return typeof value === "object" && value !== null && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined; // not base64url JSON: the caller answers "malformed"
  }
}

/**
 * The simulator's own HS256 JWT check (RFC 7515/7519), written apart from the adapter's signer so
 * that a mistake in one is caught by the other: the signature over `header.payload` with the
 * secret, `alg` HS256, and the `nbf`/`exp` claims against `nowS`.
 */
export function verifyHs256(
  token: string,
  secret: string | Buffer,
  nowS = Math.floor(Date.now() / 1000),
): JwtCheck {
  const parts = token.split(".");
  if (parts.length !== 3 || parts.some((p) => !/^[A-Za-z0-9_-]*$/.test(p)))
    return { ok: false, reason: "malformed" };
  const [head, body, signature] = parts as [string, string, string];
  const header = decodeJson(head);
  const payload = decodeJson(body);
  if (!header || !payload || header.alg !== "HS256") return { ok: false, reason: "malformed" };
  const expected = createHmac("sha256", secret).update(`${head}.${body}`, "ascii").digest();
  const given = Buffer.from(signature, "base64url");
  if (given.length !== expected.length || !timingSafeEqual(given, expected))
    return { ok: false, reason: "signature" };
  if (typeof payload.nbf === "number" && nowS < payload.nbf) return { ok: false, reason: "not_yet_valid" };
  if (typeof payload.exp !== "number" || nowS >= payload.exp) return { ok: false, reason: "expired" };
  return { ok: true, payload };
}
