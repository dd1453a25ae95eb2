import assert from "node:assert/strict";
import { readFileSync, symlinkSync } from "node:fs";
import { join } from "node:path";
import { readFrameCell } from "../../src/frames/frame-cell.js";
import { checkFrame } from "../../src/frames/frame-rules.js";
import { readImageHeader } from "../../src/frames/image-header.js";
import { createFrameInspector } from "../../src/frames/inspect-frames.js";
import { KIE_FRAME_RULES } from "../../src/providers/kie/kie-upload.js";
import { sniffImage } from "../../src/simulator/sim-image.js";
import { tempDir } from "../helpers/fixtures.js";
import { PHOTO_JPG, pngBytes, writeFrame } from "../helpers/frames.js";
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

test("image cells a provider cannot use are refused: a file:// URL cut by # or ?, a local-network address, a user and password", () => {
  const problem = (cell: string, options = {}) => {
    const read = readFrameCell(cell, "/d", options);
    return read.kind === "problem" ? read.message : "";
  };
  assert.match(
    problem("file:///frames/a.jpg#b.jpg"),
    /"#" or "\?" that cuts the file name short.*%23 and %3F/,
  );
  assert.equal((readFrameCell("file:///frames/a%23b.jpg", "/d") as { path: string }).path, "/frames/a#b.jpg");
  for (const url of [
    "http://localhost:8000/a.jpg",
    "http://192.168.1.10/a.jpg",
    "http://10.0.0.2/a.png",
    "http://nas/a.png",
  ])
    assert.match(problem(url), /on this machine or its local network/, url);
  assert.equal(
    readFrameCell("http://127.0.0.1:9/a.jpg", "/d", { localHostsOk: true }).kind,
    "url",
    "a local provider",
  );
  assert.equal(readFrameCell("https://203.0.113.9/a.jpg", "/d").kind, "url");
  assert.match(problem("https://user:pass@example.com/a.jpg"), /carries a user name or password/);
  assert.doesNotMatch(
    problem("https://user:pass@example.com/a.jpg"),
    /pass@/,
    "the password is not repeated",
  );
  const drive = readFrameCell("https://drive.google.com/file/u/1/d/1AbCdEfGhIjK/view", "/d");
  assert.equal((drive as { url: string }).url, "https://drive.google.com/uc?export=download&id=1AbCdEfGhIjK");
});

test("the inspector finds a name typed in the other Unicode form, names dangling and looping links, Windows paths and host names", async (t) => {
  const dir = tempDir(t);
  const decomposed = "cafe\u0301.png"; // as a Mac writes it
  writeFrame(dir, decomposed, pngBytes(640, 360));
  const inspector = createFrameInspector(dir);
  const rules = KIE_FRAME_RULES;
  const found = await inspector.inspect(join(dir, "caf\u00e9.png"), rules);
  assert.ok("frame" in found && found.path === join(dir, decomposed));
  const spaced = await inspector.inspect(join(dir, "\u200bcafe\u0301.png"), rules);
  assert.ok("frame" in spaced, "an invisible character pasted into the cell");
  symlinkSync(join(dir, "gone.png"), join(dir, "dangling.png"));
  symlinkSync(join(dir, "loop.png"), join(dir, "loop.png"));
  const message = async (name: string) => {
    const r = await inspector.inspect(join(dir, name), rules);
    return "problem" in r ? r.problem : "";
  };
  assert.match(await message("dangling.png"), /dangling\.png is a link to .*gone\.png, which does not exist/);
  assert.match(await message("loop.png"), /loop\.png is a link that leads back to itself/);
  assert.match(await message("C:\\frames\\a.png"), /looks like a Windows path/);
  assert.match(await message("i.imgur.com/x.jpg"), /if it is a web address, begin it with https:\/\//);
  assert.doesNotMatch(await message("cat.png/x.jpg"), /web address/);
  assert.match(checkFrame(readImageHeader(pngBytes(751, 300)), 1000, rules) ?? "", /aspect 2\.503:1/);
});

test("a JPEG with fill bytes before a marker (allowed by the format) is read alike by vidbatch and by the simulator", () => {
  const photo = readFileSync(PHOTO_JPG);
  const filled = Buffer.concat([photo.subarray(0, 2), Buffer.from([0xff, 0xff, 0xff]), photo.subarray(2)]);
  assert.deepEqual(readImageHeader(filled, { whole: true }), {
    kind: "image",
    format: "jpeg",
    width: 640,
    height: 360,
  });
  assert.deepEqual(sniffImage(filled), { type: "image/jpeg", width: 640, height: 360 });
  assert.deepEqual(readImageHeader(photo.subarray(0, 1000), { whole: true }).kind, "other", "cut short");
  const liar = Buffer.concat([pngBytes(640, 360).subarray(0, 33), pngBytes(1, 1).subarray(-12)]);
  assert.equal(readImageHeader(liar, { whole: true }).kind, "other", "a PNG with no image data");
});
