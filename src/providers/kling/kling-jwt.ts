import { createHmac } from "node:crypto";

/** Kling's legacy-standard token lifetime: exp = now + 1800 s, nbf = now − 5 s (docs/provider-contracts.md, Kling auth). */
export const KLING_TOKEN_TTL_S = 1800;
const NOT_BEFORE_SKEW_S = 5;
/** Renew this long before expiry, so a token never expires between signing and arriving. */
const RENEW_BEFORE_S = 300;

function base64url(input: Buffer | string): string {
  return Buffer.from(input).toString("base64url");
}

/** Signs an HS256 JWT with node:crypto (no dependency needed for one HMAC). */
export function signHs256(payload: Record<string, unknown>, secret: string): string {
  const head = base64url(JSON.stringify({ alg: "HS256", typ: "JWT" }));
  const body = base64url(JSON.stringify(payload));
  const signature = createHmac("sha256", secret).update(`${head}.${body}`).digest("base64url");
  return `${head}.${body}.${signature}`;
}

/**
 * The Authorization token for Kling's AccessKey/SecretKey auth: `iss` = access key, `exp` = now +
 * 1800 s, `nbf` = now − 5 s, HS256 with the secret key. Cached and renewed five minutes before it
 * expires, so a long batch never sends an expired token and does not sign one per request.
 */
export class KlingTokenSource {
  private token = "";
  private expiresAtS = 0;

  constructor(
    private readonly accessKey: string,
    private readonly secretKey: string,
    private readonly nowS: () => number = () => Math.floor(Date.now() / 1000),
  ) {}

  current(): string {
    const now = this.nowS();
    if (this.token === "" || now >= this.expiresAtS - RENEW_BEFORE_S) {
      this.expiresAtS = now + KLING_TOKEN_TTL_S;
      this.token = signHs256(
        { iss: this.accessKey, exp: this.expiresAtS, nbf: now - NOT_BEFORE_SKEW_S },
        this.secretKey,
      );
    }
    return this.token;
  }

  /** Forget the cached token (after the server called it invalid or expired). */
  invalidate(): void {
    this.token = "";
  }
}
