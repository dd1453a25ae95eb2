import assert from "node:assert/strict";
import { signHs256 } from "../../src/providers/kling/kling-jwt.js";
import { verifyHs256 } from "../../src/simulator/sim-jwt.js";
import { test } from "../helpers/leaks.js";

// Published HS256 test vectors, so the simulator's verifier is checked against the standard itself
// and not only against the adapter's signer.
// RFC 7515 (JSON Web Signature), Appendix A.1: the key is the JWK "k" value, base64url-decoded.
const RFC7515_A1 = {
  token:
    "eyJ0eXAiOiJKV1QiLA0KICJhbGciOiJIUzI1NiJ9.eyJpc3MiOiJqb2UiLA0KICJleHAiOjEzMDA4MTkzODAsDQogImh0dHA6Ly9leGFtcGxlLmNvbS9pc19yb290Ijp0cnVlfQ.dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk",
  key: Buffer.from(
    "AyM1SysPpbyDfgZld3umj1qzKObwVMkoqQ-EstJQLr_T-1qS0gZH75aKtMN3Yj0iPS4hcgUuTwjAzZr1Z9CAow",
    "base64url",
  ),
  exp: 1300819380,
};
// jwt.io's introductory example (secret "your-256-bit-secret"); it has no exp, so it is "expired".
const JWT_IO = {
  token:
    "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkpvaG4gRG9lIiwiaWF0IjoxNTE2MjM5MDIyfQ.SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c",
  secret: "your-256-bit-secret",
};

test("the simulator's JWT check accepts the RFC 7515 A.1 HS256 example and reads its claims", () => {
  const check = verifyHs256(RFC7515_A1.token, RFC7515_A1.key, RFC7515_A1.exp - 1);
  assert.deepEqual(check, {
    ok: true,
    payload: { iss: "joe", exp: 1300819380, "http://example.com/is_root": true },
  });
  assert.deepEqual(verifyHs256(RFC7515_A1.token, RFC7515_A1.key, RFC7515_A1.exp), {
    ok: false,
    reason: "expired",
  });
  const wrongKey = Buffer.from(RFC7515_A1.key);
  wrongKey[0] = (wrongKey[0] ?? 0) ^ 1;
  assert.deepEqual(verifyHs256(RFC7515_A1.token, wrongKey, RFC7515_A1.exp - 1), {
    ok: false,
    reason: "signature",
  });
});

test("the simulator's JWT check verifies jwt.io's HS256 example and refuses tampering", () => {
  // A valid signature; without exp the token is refused as expired, never as a bad signature.
  assert.deepEqual(verifyHs256(JWT_IO.token, JWT_IO.secret), { ok: false, reason: "expired" });
  assert.deepEqual(verifyHs256(JWT_IO.token, "another-secret"), { ok: false, reason: "signature" });
  const [head, body, signature] = JWT_IO.token.split(".") as [string, string, string];
  const forged = Buffer.from(
    JSON.stringify({ sub: "1234567890", name: "Jane Doe", iat: 1516239022 }),
  ).toString("base64url");
  assert.deepEqual(verifyHs256(`${head}.${forged}.${signature}`, JWT_IO.secret), {
    ok: false,
    reason: "signature",
  });
  assert.deepEqual(verifyHs256(`${head}.${body}`, JWT_IO.secret), { ok: false, reason: "malformed" });
  const none = Buffer.from(JSON.stringify({ alg: "none", typ: "JWT" })).toString("base64url");
  assert.deepEqual(verifyHs256(`${none}.${body}.`, JWT_IO.secret), { ok: false, reason: "malformed" });
});

test("the adapter's signer and the simulator's verifier agree on the standard", () => {
  const token = signHs256({ iss: "AK", exp: 2000, nbf: 1000 }, "SK");
  assert.deepEqual(verifyHs256(token, "SK", 1500), {
    ok: true,
    payload: { iss: "AK", exp: 2000, nbf: 1000 },
  });
  assert.deepEqual(verifyHs256(token, "SK", 999), { ok: false, reason: "not_yet_valid" });
});
