import assert from "node:assert/strict";
import { otherVideoModelName, tierOfName } from "../../src/job/other-model-names.js";
import { test } from "../helpers/leaks.js";

test("other makers' model names as users write them map to one model each; a tier in the name is read", () => {
  const cases: [string, string | undefined][] = [
    ["Hailuo 2.3", "hailuo-2.3"],
    ["hailuo/2-3-image-to-video-pro", "hailuo-2.3"],
    ["MiniMax Hailuo 2.3 Standard", "hailuo-2.3"],
    ["Wan 2.5", "wan-2.5"],
    ["Wan2.5", "wan-2.5"],
    ["wan/2-5-text-to-video", "wan-2.5"],
    ["Seedance 1.0 Pro", "seedance-1.0-pro"],
    ["seedance lite", "seedance-1.0-lite"],
    ["bytedance/v1-lite-image-to-video", "seedance-1.0-lite"],
    ["bytedance/v1-pro-fast-image-to-video", undefined],
    ["seedance pro", undefined], // 1.0 Pro or 1.5 Pro: the version is needed
    ["hailuo/02-text-to-video-pro", undefined],
    ["wan 2.2", undefined],
  ];
  for (const [written, expected] of cases) assert.equal(otherVideoModelName(written), expected, written);
  assert.equal(tierOfName("hailuo/2-3-image-to-video-pro"), "pro");
  assert.equal(tierOfName("Hailuo 2.3 Standard"), "std");
  assert.equal(tierOfName("Seedance 1.0 Pro"), undefined, "Seedance's Pro is a model, not a tier");
});
