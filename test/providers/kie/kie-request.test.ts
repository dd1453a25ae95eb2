import assert from "node:assert/strict";
import { buildKieCreateBody } from "../../../src/providers/kie/kie-request.js";
import { test } from "../../helpers/leaks.js";

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
