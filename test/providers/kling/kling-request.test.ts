import assert from "node:assert/strict";
import type { JobSpec } from "../../../src/job/job-spec.js";
import { KlingTokenSource, signHs256 } from "../../../src/providers/kling/kling-jwt.js";
import { estimateKlingCost } from "../../../src/providers/kling/kling-prices.js";
import { buildKlingCreateBody, checkKlingSpec } from "../../../src/providers/kling/kling-request.js";
import { verifyHs256 } from "../../../src/simulator/sim-jwt.js";
import { test } from "../../helpers/leaks.js";

const base: JobSpec = {
  prompt: "A lake",
  duration: 5,
  aspectRatio: "16:9",
  sound: false,
  model: "kling-2.6",
};

test("text-to-video body: model_name kling-v2-6, string duration and sound, aspect ratio, external id", () => {
  assert.deepEqual(buildKlingCreateBody({ ...base, negativePrompt: "blur" }, "vb-x-1"), {
    model_name: "kling-v2-6",
    prompt: "A lake",
    negative_prompt: "blur",
    mode: "std",
    sound: "off",
    duration: "5",
    aspect_ratio: "16:9",
    external_task_id: "vb-x-1",
  });
});

test("image-to-video body: image and image_tail, no aspect ratio; sound or an end frame default to pro", () => {
  const body = buildKlingCreateBody(
    { ...base, duration: 10, imageUrl: "https://a/1.png", endImageUrl: "https://a/2.png" },
    "vb-x-2",
  );
  assert.deepEqual(body, {
    model_name: "kling-v2-6",
    prompt: "A lake",
    mode: "pro",
    sound: "off",
    duration: "10",
    external_task_id: "vb-x-2",
    image: "https://a/1.png",
    image_tail: "https://a/2.png",
  });
  assert.equal(buildKlingCreateBody({ ...base, sound: true }, "e").mode, "pro");
  assert.equal(buildKlingCreateBody({ ...base, sound: true }, "e").sound, "on");
});

test("documented row rules: sound needs pro, an end frame needs pro and no sound, prompts ≤ 2500", () => {
  const columns = (spec: JobSpec) => checkKlingSpec(spec).map((p) => p.field);
  assert.deepEqual(columns(base), []);
  assert.deepEqual(columns({ ...base, sound: true, mode: "std" }), ["mode"]);
  assert.deepEqual(columns({ ...base, sound: true, mode: "pro" }), []);
  const frames = { imageUrl: "https://a/1.png", endImageUrl: "https://a/2.png" };
  assert.deepEqual(columns({ ...base, ...frames, mode: "std" }), ["mode"]);
  assert.deepEqual(columns({ ...base, ...frames, sound: true }), ["endImageUrl"]);
  assert.deepEqual(columns({ ...base, prompt: "x".repeat(2500) }), []);
  assert.deepEqual(columns({ ...base, prompt: "x".repeat(2501) }), ["prompt"]);
  assert.deepEqual(columns({ ...base, model: "veo3" }), ["model"]);
});

test("official per-second prices: 720p silent $0.042, 1080p silent $0.07, 1080p with audio $0.14", () => {
  assert.deepEqual(
    [
      estimateKlingCost({ ...base, duration: 5, mode: "std", sound: false }),
      estimateKlingCost({ ...base, duration: 5, mode: "pro", sound: false }),
      estimateKlingCost({ ...base, duration: 10, mode: "pro", sound: true }),
    ].map((e) => [e.usd, e.credits]),
    [
      [0.21, 1.5],
      [0.35, 2.5],
      [1.4, 10],
    ],
  );
});

test("the JWT: HS256, iss = access key, exp = now + 1800, nbf = now − 5; cached, renewed before expiry", () => {
  let now = 1_800_000_000;
  const source = new KlingTokenSource("AK", "SK", () => now);
  const token = source.current();
  const check = verifyHs256(token, "SK", now);
  assert.ok(check.ok);
  assert.deepEqual(check.ok && check.payload, { iss: "AK", exp: now + 1800, nbf: now - 5 });
  assert.equal(JSON.parse(Buffer.from(token.split(".")[0] as string, "base64url").toString()).alg, "HS256");
  assert.equal(verifyHs256(token, "wrong", now).ok, false);

  now += 1000;
  assert.equal(source.current(), token, "reused while far from expiry");
  now += 600; // 200 s before exp
  const renewed = source.current();
  assert.notEqual(renewed, token);
  assert.ok(verifyHs256(renewed, "SK", now).ok);

  assert.deepEqual(verifyHs256(signHs256({ iss: "AK", exp: 100, nbf: 0 }, "SK"), "SK", 200), {
    ok: false,
    reason: "expired",
  });
  assert.deepEqual(verifyHs256(signHs256({ iss: "AK", exp: 500, nbf: 300 }, "SK"), "SK", 200), {
    ok: false,
    reason: "not_yet_valid",
  });
});
