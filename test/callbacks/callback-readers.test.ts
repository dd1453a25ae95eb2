import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { readKieCallback } from "../../src/providers/kie/kie-callback.js";
import { readKlingCallback } from "../../src/providers/kling/kling-callback.js";
import type { CallbackReport } from "../../src/providers/provider.js";
import { checkKieSignature, checkStandardWebhook } from "../../src/providers/webhook-signature.js";
import { kieSignature, standardWebhookSignature } from "../../src/simulator/sim-callbacks.js";
import { test } from "../helpers/leaks.js";

// The Standard Webhooks specification's published test vector (Kling's scheme).
const VECTOR = {
  secret: "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw",
  id: "msg_p5jXN8AQM9LWM0D4loKWxJek",
  timestamp: "1614265330",
  body: '{"test": 2432232314}',
  signature: "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=",
};
const AT = 1614265330 * 1000;

test("Standard Webhooks: the specification's vector verifies; rotation lists, stale times and edits do not fool it", () => {
  const { secret, id, timestamp, body, signature } = VECTOR;
  assert.deepEqual(checkStandardWebhook(secret, id, timestamp, signature, body, AT), { ok: true });
  // During a key rotation the header holds several signatures: any one may match.
  assert.ok(checkStandardWebhook(secret, id, timestamp, `v1,AAAA ${signature}`, body, AT).ok);
  assert.ok(!checkStandardWebhook(secret, id, timestamp, signature, '{"test": 2432232315}', AT).ok);
  assert.ok(!checkStandardWebhook(secret, "msg_other", timestamp, signature, body, AT).ok);
  const stale = checkStandardWebhook(secret, id, timestamp, signature, body, AT + 6 * 60_000);
  assert.deepEqual(stale, {
    ok: false,
    problem: "its timestamp is more than 5 minutes off (a replay, or this clock is wrong)",
  });
  assert.ok(checkStandardWebhook(secret, id, timestamp, signature, body, AT - 4 * 60_000).ok);
  // The simulator signs the same way (it never imports the adapter's code).
  assert.equal(standardWebhookSignature(secret, id, timestamp, body), signature);
});

test("KIE webhook HMAC: base64(HMAC-SHA256(taskId.timestamp)), constant-time, within 5 minutes", () => {
  const key = "kie-hmac-key";
  const ts = "1755599644";
  const now = 1755599644 * 1000;
  const good = kieSignature(key, "e989621f54392584b05867f87b160672", ts);
  assert.match(good, /^[A-Za-z0-9+/]{43}=$/);
  assert.ok(checkKieSignature(key, "e989621f54392584b05867f87b160672", ts, good, now).ok);
  assert.ok(!checkKieSignature(key, "bd3a37c523149e4adf45a3ddb5faf1a8", ts, good, now).ok);
  assert.ok(!checkKieSignature("other-key", "e989621f54392584b05867f87b160672", ts, good, now).ok);
  assert.ok(!checkKieSignature(key, "e989621f54392584b05867f87b160672", ts, good, now + 301_000).ok);
  assert.ok(!checkKieSignature(key, "e989621f54392584b05867f87b160672", "soon", good, now).ok);
});

const ROOT = join(import.meta.dirname, "..", "..", "..", "test", "fixtures");
type Expect = {
  taskId: string;
  state: string;
  videoUrl?: string;
  chargedCredits?: number;
  errorCode?: string;
  callbackUrl?: string;
  externalId?: string;
};

for (const provider of ["kie", "kling"] as const) {
  test(`${provider}: documented callback bodies yield the task, its state and its charge`, () => {
    const files = readdirSync(join(ROOT, provider)).filter((f) => f.startsWith("callback-"));
    assert.ok(files.length >= 2);
    for (const file of files) {
      const fixture = JSON.parse(readFileSync(join(ROOT, provider, file), "utf8")) as {
        body: unknown;
        expect: Expect;
      };
      const delivery = { headers: {}, rawBody: JSON.stringify(fixture.body), receivedAt: Date.now() };
      const report: CallbackReport =
        provider === "kie" ? readKieCallback(delivery, undefined) : readKlingCallback(delivery, undefined);
      const e = fixture.expect;
      assert.equal(report.signature, "unsigned", file);
      assert.equal(report.taskId, e.taskId, file);
      assert.equal(report.snapshot?.state, e.state, file);
      for (const field of ["videoUrl", "chargedCredits", "errorCode", "callbackUrl", "externalId"] as const)
        if (e[field] !== undefined) assert.equal(report.snapshot?.[field], e[field], `${file}: ${field}`);
    }
  });
}

test("KIE callbacks: signed ones verify, wrong or stale ones are invalid, unsigned ones are only hints", () => {
  const key = "kie-hmac-key";
  const raw = JSON.stringify({ code: 200, data: { task_id: "abc123", state: "generating" } });
  const now = Date.now();
  const ts = String(Math.floor(now / 1000));
  const signed = (sig: string, at = ts) => ({
    headers: { "x-webhook-timestamp": at, "x-webhook-signature": sig },
    rawBody: raw,
    receivedAt: now,
  });
  // The CN sample reads data.task_id: the signature covers that id too.
  assert.equal(readKieCallback(signed(kieSignature(key, "abc123", ts)), key).signature, "verified-id");
  assert.equal(readKieCallback(signed(kieSignature("nope", "abc123", ts)), key).signature, "invalid");
  const old = String(Math.floor(now / 1000) - 900);
  assert.equal(readKieCallback(signed(kieSignature(key, "abc123", old), old), key).signature, "invalid");
  assert.equal(readKieCallback({ headers: {}, rawBody: raw, receivedAt: now }, key).signature, "unsigned");
  const garbage = readKieCallback({ headers: {}, rawBody: "<html>", receivedAt: now }, undefined);
  assert.equal(garbage.taskId, undefined);
  assert.match(garbage.problem ?? "", /no data\.taskId/);
});
