import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { readFrameCell } from "../../src/frames/frame-cell.js";
import { checkFrame } from "../../src/frames/frame-rules.js";
import { readImageHeader } from "../../src/frames/image-header.js";
import { KIE_FRAME_RULES } from "../../src/providers/kie/kie-upload.js";
import { PHOTO_JPG, pngBytes } from "../helpers/frames.js";
import { test } from "../helpers/leaks.js";

const fixture = (name: string) =>
  readFileSync(new URL(`../../../test/fixtures/frames/${name}`, import.meta.url));

test("image headers are read from the bytes: PNG, baseline and progressive JPEG, WebP; other files are named", () => {
  assert.deepEqual(readImageHeader(pngBytes(333, 444)), {
    kind: "image",
    format: "png",
    width: 333,
    height: 444,
  });
  assert.deepEqual(readImageHeader(readFileSync(PHOTO_JPG)), {
    kind: "image",
    format: "jpeg",
    width: 640,
    height: 360,
  });
  assert.deepEqual(readImageHeader(fixture("progressive.jpg")), {
    kind: "image",
    format: "jpeg",
    width: 400,
    height: 400,
  });
  // A lossless WebP header: 1000×500 packed as 14-bit fields.
  const webp = Buffer.alloc(30);
  webp.write("RIFF", 0, "latin1");
  webp.write("WEBPVP8L", 8, "latin1");
  webp.writeUInt32LE((1000 - 1) | ((500 - 1) << 14), 21);
  assert.deepEqual(readImageHeader(webp), { kind: "image", format: "webp", width: 1000, height: 500 });
  assert.deepEqual(readImageHeader(Buffer.from("GIF89a......")), { kind: "other", what: "a GIF image" });
  assert.deepEqual(readImageHeader(Buffer.alloc(0)), { kind: "other", what: "an empty file" });
  assert.match(
    (readImageHeader(readFileSync(PHOTO_JPG).subarray(0, 20)) as { what: string }).what,
    /JPEG file without a readable size/,
  );
});

test("frame rules: format, size, the shorter side and the aspect ratio, each saying what to do", () => {
  const png = (w: number, h: number) => readImageHeader(pngBytes(w, h));
  assert.equal(checkFrame(png(300, 750), 1000, KIE_FRAME_RULES), undefined, "1:2.5 is inside");
  assert.match(checkFrame(png(300, 751), 1000, KIE_FRAME_RULES) ?? "", /aspect 1:2\.5.*crop it/);
  assert.match(checkFrame(png(299, 400), 1000, KIE_FRAME_RULES) ?? "", /at least 300 pixels/);
  assert.match(
    checkFrame(png(400, 400), 11 * 1048576, KIE_FRAME_RULES) ?? "",
    /is 11 MB; KIE takes at most 10 MB/,
  );
  const webp = { kind: "image", format: "webp", width: 400, height: 400 } as const;
  assert.match(
    checkFrame(webp, 1000, KIE_FRAME_RULES) ?? "",
    /WebP image, which KIE does not take; convert it to JPEG or PNG/,
  );
});

test("image cells: web addresses, share links, local paths and addresses no provider can fetch", () => {
  assert.deepEqual(readFrameCell("https://x.test/a b.png", "/d"), {
    kind: "url",
    url: "https://x.test/a%20b.png",
  });
  assert.deepEqual(readFrameCell("frames/a.png", "/sheets"), {
    kind: "file",
    url: "file:///sheets/frames/a.png",
    path: "/sheets/frames/a.png",
  });
  assert.equal((readFrameCell("/abs/a.png", "/sheets") as { path: string }).path, "/abs/a.png");
  assert.equal((readFrameCell("file:///abs/a%20b.png", "/sheets") as { path: string }).path, "/abs/a b.png");
  assert.equal(readFrameCell("data:image/png;base64,AAAA", "/d").kind, "problem");
  assert.equal(readFrameCell("s3://bucket/a.png", "/d").kind, "problem");
  const drive = readFrameCell("https://drive.google.com/open?id=1AbCdEfGhIjK&authuser=0", "/d");
  assert.deepEqual(drive, {
    kind: "url",
    url: "https://drive.google.com/uc?export=download&id=1AbCdEfGhIjK",
    rewrittenFrom: "https://drive.google.com/open?id=1AbCdEfGhIjK&authuser=0",
  });
  assert.match(
    (readFrameCell("https://www.dropbox.com/sh/abc/folder?dl=0", "/d") as { message: string }).message,
    /Dropbox folder/,
  );
  assert.match(
    (readFrameCell("https://imgur.com/gallery/abc", "/d") as { message: string }).message,
    /i\.imgur\.com/,
  );
});
