import assert from "node:assert/strict";
import { mapHeaders } from "../../src/input/headers.js";
import { computeRowKey } from "../../src/input/row-key.js";
import { validateRow } from "../../src/input/validate-row.js";
import type { SpecDefaults } from "../../src/job/job-spec.js";
import { KieProvider } from "../../src/providers/kie/kie-provider.js";
import { test } from "../helpers/leaks.js";

const defaults: SpecDefaults = { duration: 5, aspectRatio: "16:9", sound: false, model: "kling-2.6" };
const kie = new KieProvider({ apiKey: "k-test-0000" });
const check = (spec: Parameters<KieProvider["checkSpec"]>[0]) => kie.checkSpec(spec);

test("header aliases are matched case-insensitively and trimmed", () => {
  const map = mapHeaders([
    " Prompt ",
    "Image URL",
    "ID",
    "Length",
    "Aspect Ratio",
    "Audio",
    "notes",
    "status",
  ]);
  assert.equal(map.index.prompt, 0);
  assert.equal(map.index.image_url, 1);
  assert.equal(map.index.id, 2);
  assert.equal(map.index.duration, 3);
  assert.equal(map.index.aspect_ratio, 4);
  assert.equal(map.index.sound, 5);
  assert.deepEqual(
    map.passThrough,
    [0, 1, 2, 3, 4, 5, 6],
    "a 'status' input column is not passed through (the results add their own)",
  );
});

test("a good row becomes a spec with per-row overrides and defaults", () => {
  const map = mapHeaders(["prompt", "image_url", "duration", "aspect_ratio", "sound"]);
  const r = validateRow(["A fox", "https://x.test/a.png", "10s", "9x16", "yes"], map, defaults, check);
  assert.deepEqual(r, {
    ok: true,
    spec: {
      prompt: "A fox",
      imageUrl: "https://x.test/a.png",
      duration: 10,
      aspectRatio: "9:16",
      sound: true,
      model: "kling-2.6",
    },
  });
  const d = validateRow(["A fox", "", "", "", ""], map, defaults, check);
  assert.deepEqual(d, {
    ok: true,
    spec: { prompt: "A fox", duration: 5, aspectRatio: "16:9", sound: false, model: "kling-2.6" },
  });
});

test("every problem of a row is reported at once, naming the column as written", () => {
  const map = mapHeaders(["Prompt", "Image", "Duration", "Ratio", "Sound"]);
  const r = validateRow(["", "ftp://x/a.png", "7.5", "4:3", "maybe"], map, defaults, check);
  assert.equal(r.ok, false);
  if (r.ok) return;
  assert.deepEqual(
    r.problems.map((p) => p.column),
    ["Prompt", "Image", "Duration", "Ratio", "Sound"],
  );
  assert.match(r.problems[2]?.message ?? "", /"7\.5" is not a valid duration; write whole seconds/);
});

test("provider rules: KIE prompts are limited to 1000 characters, other models are refused", () => {
  const map = mapHeaders(["prompt", "model"]);
  const long = validateRow(["x".repeat(1001), ""], map, defaults, check);
  assert.equal(long.ok, false);
  if (!long.ok)
    assert.match(long.problems[0]?.message ?? "", /1001 characters; KIE's kling-2\.6 allows at most 1000/);
  assert.equal(validateRow(["x".repeat(1000), ""], map, defaults, check).ok, true);
  const model = validateRow(["a", "veo3"], map, defaults, check);
  assert.equal(model.ok, false);
});

test("image cells: http(s) URLs of an accepted type, or local paths (checked when planned)", () => {
  const map = mapHeaders(["prompt", "image_url"]);
  const local = validateRow(["a", "frames/cat.png"], map, defaults, check, [], { frameDir: "/sheets" });
  assert.equal(local.ok && local.spec.imageUrl, "file:///sheets/frames/cat.png");
  assert.equal(validateRow(["a", "s3://bucket/a.png"], map, defaults, check).ok, false);
  assert.equal(validateRow(["a", "https://x.test/anim.gif"], map, defaults, check).ok, false);
  assert.equal(validateRow(["a", "https://x.test/photo.jpg?sig=1"], map, defaults, check).ok, true);
});

test("too many cells is a row error that suggests quoting", () => {
  const map = mapHeaders(["prompt", "id"]);
  const r = validateRow(["a cat", "1", "surfing"], map, defaults, check);
  assert.equal(r.ok, false);
  if (!r.ok) assert.match(r.problems[0]?.message ?? "", /3 cells but the header has 2/);
});

test("row keys: the id when given, else a content hash that ignores notes and tells duplicates apart", () => {
  const map = mapHeaders(["prompt", "notes", "id"]);
  assert.equal(computeRowKey(["a", "x", "clip-1"], map, new Map()).key, "id:clip-1");
  const seen = new Map<string, number>();
  const k1 = computeRowKey(["a cat", "note 1", ""], map, seen).key;
  const k2 = computeRowKey(["a cat", "note 2", ""], map, seen).key;
  assert.match(k1, /^h:[0-9a-f]{24}$/);
  assert.equal(k2, `${k1}#2`);
  assert.equal(
    computeRowKey(["a cat", "other note", ""], map, new Map()).key,
    k1,
    "notes do not change the key",
  );
});

test("the id column is found under the names producers give it: Shot ID, Clip, Scene", () => {
  for (const header of ["Shot ID", "shot", "Clip", "clip_id", "Scene", "scene id"]) {
    const map = mapHeaders(["prompt", header]);
    assert.equal(map.index.id, 1, header);
  }
});
