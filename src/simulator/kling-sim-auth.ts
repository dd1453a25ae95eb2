import type { IncomingMessage, ServerResponse } from "node:http";
import type { SimContext } from "./sim-context.js";
import { bearerToken } from "./sim-http.js";
import { verifyHs256 } from "./sim-jwt.js";

type Fail = (res: ServerResponse, http: number, code: number, message: string) => void;

/**
 * Kling's auth as documented (docs/provider-contracts.md, Kling auth): an API key as the bearer on
 * both standards, or on the legacy one an HS256 token signed with the AccessKey/SecretKey pair
 * (`iss`, `nbf`, `exp` checked). Counts each distinct token (a client should reuse one).
 */
export function createKlingAuth(ctx: SimContext, fail: Fail) {
  const tokensSeen = new Set<string>();
  return function authorized(req: IncomingMessage, res: ServerResponse, current = false): boolean {
    const token = bearerToken(req);
    if (!token) {
      fail(res, 401, 1001, "Authorization is empty");
      return false;
    }
    const { accessKey, secretKey, apiKey } = ctx.options().kling;
    if (token === apiKey) {
      ctx.stats.count("kling.api-key");
      return true;
    }
    if (current) {
      fail(res, 401, 1002, "Authorization is invalid (this API takes an API key)");
      return false;
    }
    const check = verifyHs256(token, secretKey);
    if (!check.ok) {
      if (check.reason === "not_yet_valid") fail(res, 401, 1003, "Authorization is not yet valid");
      else if (check.reason === "expired") fail(res, 401, 1004, "Authorization has expired");
      else fail(res, 401, 1002, "Authorization is invalid");
      return false;
    }
    const { iss, exp, nbf } = check.payload;
    if (iss !== accessKey) {
      fail(res, 401, 1000, "Authentication failed");
      return false;
    }
    if (typeof nbf !== "number" || typeof exp !== "number" || exp - nbf > 24 * 3600) {
      fail(res, 401, 1002, "Authorization is invalid");
      return false;
    }
    if (!tokensSeen.has(token)) {
      tokensSeen.add(token);
      ctx.stats.count("kling.tokens");
    }
    return true;
  };
}
