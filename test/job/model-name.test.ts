import assert from "node:assert/strict";
import { canonicalModelName } from "../../src/job/model-name.js";
import { test } from "../helpers/leaks.js";

test("model names as users write them map to one Kling model each", () => {
  const cases: [string, string | undefined][] = [
    ["kling-2.6", "kling-2.6"],
    ["kling-v2-6", "kling-2.6"],
    ["Kling 2.6", "kling-2.6"],
    ["kling-2.6/text-to-video", "kling-2.6"],
    ["kling-2.6/image-to-video", "kling-2.6"],
    ["kling-v1", "kling-1.0"],
    ["Kling 1.0", "kling-1.0"],
    ["kling-v1-6", "kling-1.6"],
    ["kling 1.6 pro", "kling-1.6"],
    ["kling-v2-master", "kling-2.0-master"],
    ["Kling V2", "kling-2.0-master"],
    // Kling 2.1 (std/pro image-to-video) is not the 2.1 Master: another model, another price.
    ["kling-2.1", "kling-2.1"],
    ["Kling V2.1 Pro", "kling-2.1"],
    ["kling-v1-5", "kling-1.5"],
    ["Kling 1.5", "kling-1.5"],
    ["Kling V2.1 Master", "kling-2.1-master"],
    ["kling-v2-1-master", "kling-2.1-master"],
    ["v2-5-turbo", "kling-2.5-turbo"],
    ["kling-v2-5-turbo", "kling-2.5-turbo"],
    ["kling/v2-5-turbo-text-to-video-pro", "kling-2.5-turbo"],
    ["kling/v2-5-turbo-image-to-video-pro", "kling-2.5-turbo"],
    ["KLING_2_5_TURBO", "kling-2.5-turbo"],
    ["kling-v3", "kling-3.0"],
    ["kling-3.0", "kling-3.0"],
    ["kling-3.0/video", "kling-3.0"],
    ["3", "kling-3.0"],
    ["kling-2.2", undefined],
    ["kling-v2-1", "kling-2.1"],
    ["veo3", undefined],
    ["", undefined],
    ["kling-1.6-turbo", undefined],
  ];
  for (const [written, expected] of cases) assert.equal(canonicalModelName(written), expected, written);
});
