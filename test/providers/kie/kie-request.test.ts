import assert from "node:assert/strict";
import type { JobSpec } from "../../../src/job/job-spec.js";
import { checkKieSpec, findKieModel, type KieModel } from "../../../src/providers/kie/kie-models.js";
import { estimateKieCost } from "../../../src/providers/kie/kie-prices.js";
import { test } from "../../helpers/leaks.js";

const buildKieCreateBody = (spec: JobSpec) =>
  (findKieModel(spec.model) as KieModel).body(spec) as { model: string; input: Record<string, unknown> };

test("text-to-video body is exactly the documented shape (duration a string, sound a boolean)", () => {
  const body = buildKieCreateBody({
    prompt: "A cat",
    duration: 5,
    aspectRatio: "1:1",
    sound: false,
    model: "kling-2.6",
  });
  assert.deepEqual(body, {
    model: "kling-2.6/text-to-video",
    input: { prompt: "A cat", sound: false, aspect_ratio: "1:1", duration: "5" },
  });
});

test("image-to-video body has image_urls as one-element array and no aspect_ratio", () => {
  const body = buildKieCreateBody({
    prompt: "Smile",
    imageUrl: "https://static.aiquickdraw.com/tools/example/1764851002741_i0lEiI8I.png",
    duration: 10,
    aspectRatio: "16:9",
    sound: true,
    model: "kling-2.6",
  });
  assert.deepEqual(body, {
    model: "kling-2.6/image-to-video",
    input: {
      prompt: "Smile",
      image_urls: ["https://static.aiquickdraw.com/tools/example/1764851002741_i0lEiI8I.png"],
      sound: true,
      duration: "10",
    },
  });
  assert.equal("aspect_ratio" in body.input, false);
});

test("kling-2.5-turbo: the pro model ids, image_url as one string, tail_image_url, negative prompt and cfg_scale", () => {
  const spec: JobSpec = {
    prompt: "The flower opens",
    imageUrl: "https://a.test/1.png",
    endImageUrl: "https://a.test/2.png",
    duration: 10,
    aspectRatio: "16:9",
    sound: false,
    negativePrompt: "blur",
    cfgScale: 0.3,
    model: "Kling V2.5 Turbo",
  };
  assert.deepEqual(buildKieCreateBody(spec), {
    model: "kling/v2-5-turbo-image-to-video-pro",
    input: {
      prompt: "The flower opens",
      duration: "10",
      negative_prompt: "blur",
      cfg_scale: 0.3,
      image_url: "https://a.test/1.png",
      tail_image_url: "https://a.test/2.png",
    },
  });
  const { imageUrl: _i, endImageUrl: _e, ...text } = spec;
  assert.equal(buildKieCreateBody(text).model, "kling/v2-5-turbo-text-to-video-pro");
  assert.equal(buildKieCreateBody(text).input.aspect_ratio, "16:9");
});

test("kling-3.0: one model id, duration 3–15 as a string, mode, sound, single shot, first and last frame in image_urls", () => {
  const body = buildKieCreateBody({
    prompt: "A fox",
    imageUrl: "https://a.test/1.png",
    endImageUrl: "https://a.test/2.png",
    duration: 12,
    aspectRatio: "9:16",
    sound: true,
    mode: "pro",
    model: "kling-3.0",
  });
  assert.deepEqual(body, {
    model: "kling-3.0/video",
    input: {
      prompt: "A fox",
      image_urls: ["https://a.test/1.png", "https://a.test/2.png"],
      sound: true,
      duration: "12",
      mode: "pro",
      multi_shots: false,
    },
  });
});

test("KIE's rules per model are row errors naming the model; prices per model from the archive", () => {
  const base: JobSpec = { prompt: "p", duration: 5, aspectRatio: "16:9", sound: false, model: "kling-2.6" };
  const fields = (spec: JobSpec) => checkKieSpec(spec).map((p) => p.field);
  assert.deepEqual(fields(base), []);
  assert.deepEqual(fields({ ...base, negativePrompt: "x" }), ["negativePrompt"]);
  assert.deepEqual(fields({ ...base, mode: "pro" }), ["mode"]);
  assert.deepEqual(fields({ ...base, model: "kling-2.5-turbo", sound: true }), ["sound"]);
  assert.deepEqual(fields({ ...base, model: "kling-3.0", duration: 16 }), ["duration"]);
  assert.deepEqual(fields({ ...base, model: "kling-3.0", duration: 3 }), []);
  assert.deepEqual(fields({ ...base, model: "kling-v1" }), ["model"]);
  assert.deepEqual(fields({ ...base, cameraControl: { type: "forward_up" }, cfgScale: 0.5 }), [
    "cfgScale",
    "cameraControl",
  ]);
  const usd = (spec: Partial<JobSpec>) => estimateKieCost({ ...base, ...spec }).usd;
  assert.equal(usd({}), 0.275);
  assert.equal(usd({ sound: true, duration: 10 }), 1.1);
  assert.equal(usd({ model: "kling-2.5-turbo" }), 0.21);
  assert.equal(usd({ model: "kling-2.5-turbo", duration: 10 }), 0.42);
  assert.equal(usd({ model: "kling-3.0", duration: 10 }), 0.7); // 720p silent $0.07/s
  assert.equal(usd({ model: "kling-3.0", duration: 10, mode: "pro", sound: true }), 1.35); // $0.135/s
});
