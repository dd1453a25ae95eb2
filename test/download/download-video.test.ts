import assert from "node:assert/strict";
import { getEventListeners } from "node:events";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { DownloadError, downloadVideo } from "../../src/download/download-video.js";
import { pathInside, videoBaseName } from "../../src/download/video-name.js";
import { sampleVideo } from "../../src/simulator/sample-video.js";
import { tempDir } from "../helpers/fixtures.js";
import { test } from "../helpers/leaks.js";
import { serve } from "../helpers/serve.js";

const CAP = 10 * 1024 * 1024;

test("a whole video lands under its final name, byte for byte, with no temporary file left", async (t) => {
  const dir = tempDir(t);
  const url = await serve(t, (_req, res) =>
    res.writeHead(200, { "content-type": "video/mp4" }).end(sampleVideo()),
  );
  const target = join(dir, "clip.mp4");
  const { bytes } = await downloadVideo(`${url}/v.mp4`, target, { maxBytes: CAP });
  assert.equal(bytes, sampleVideo().length);
  assert.deepEqual(readFileSync(target), sampleVideo());
  assert.deepEqual(readdirSync(dir), ["clip.mp4"]);
});

test("a transfer cut short leaves no file under the final name", async (t) => {
  const dir = tempDir(t);
  const video = sampleVideo();
  const url = await serve(t, (_req, res) => {
    res.writeHead(200, { "content-type": "video/mp4", "content-length": video.length });
    res.write(video.subarray(0, 4000));
    setTimeout(() => res.socket?.destroy(), 20);
  });
  const target = join(dir, "clip.mp4");
  await assert.rejects(downloadVideo(`${url}/v.mp4`, target, { maxBytes: CAP }), DownloadError);
  assert.equal(existsSync(target), false);
  assert.deepEqual(readdirSync(dir), [], "the partial .part file is removed");
});

test("an error page served with 200 is not taken for a video", async (t) => {
  const dir = tempDir(t);
  const url = await serve(t, (_req, res) =>
    res.writeHead(200, { "content-type": "text/html" }).end("<html>Access denied</html>"),
  );
  await assert.rejects(downloadVideo(`${url}/v.mp4`, join(dir, "x.mp4"), { maxBytes: CAP }), {
    kind: "corrupt",
  });
  assert.deepEqual(readdirSync(dir), []);
});

test("HTTP 404/403 mean the link expired; 503 is transient", async (t) => {
  const dir = tempDir(t);
  const url = await serve(t, (req, res) => res.writeHead(req.url === "/gone" ? 404 : 503).end());
  await assert.rejects(downloadVideo(`${url}/gone`, join(dir, "a.mp4"), { maxBytes: CAP }), {
    kind: "expired",
  });
  await assert.rejects(downloadVideo(`${url}/busy`, join(dir, "b.mp4"), { maxBytes: CAP }), {
    kind: "transient",
  });
});

test("file names come from the id (sanitised) or the row number and a prompt slug, and stay inside the folder", (t) => {
  assert.equal(videoBaseName({ id: "clip-1", rowIndex: 1, prompt: "x" }), "clip-1");
  const evil = videoBaseName({ id: "../../etc/passwd", rowIndex: 1, prompt: "x" });
  assert.match(evil, /^etc_passwd-[0-9a-f]{6}$/);
  assert.notEqual(
    videoBaseName({ id: "a/b", rowIndex: 1, prompt: "" }),
    videoBaseName({ id: "a_b", rowIndex: 1, prompt: "" }),
  );
  assert.equal(
    videoBaseName({ rowIndex: 7, prompt: "A café, surfing! 🎉 at dawn" }),
    "row-0007-a-cafe-surfing-at-dawn",
  );
  assert.equal(videoBaseName({ rowIndex: 8, prompt: "桜の花びら" }), "row-0008");
  const dir = tempDir(t);
  assert.throws(() => pathInside(dir, "../escape.mp4"));
  assert.equal(pathInside(dir, "ok.mp4"), join(dir, "ok.mp4"));
});

test("a body cut short without a Content-Length, or an MP4 header in front of HTML, is refused", async (t) => {
  const dir = tempDir(t);
  const video = sampleVideo();
  const url = await serve(t, (req, res) => {
    res.writeHead(200, { "content-type": "video/mp4" }); // chunked: no length to compare with
    if (req.url === "/half") res.end(video.subarray(0, Math.floor(video.length / 2)));
    else res.end(Buffer.concat([video.subarray(0, 32), Buffer.from("<html>error</html>")]));
  });
  await assert.rejects(downloadVideo(`${url}/half`, join(dir, "a.mp4"), { maxBytes: CAP }), {
    kind: "corrupt",
    message: /cut short/,
  });
  await assert.rejects(downloadVideo(`${url}/html`, join(dir, "b.mp4"), { maxBytes: CAP }), {
    kind: "corrupt",
  });
  assert.deepEqual(readdirSync(dir), [], "nothing takes a video's name");
});

test("WebM is checked by its EBML structure: whole passes, cut short is refused", async (t) => {
  const dir = tempDir(t);
  const header = Buffer.from([0x1a, 0x45, 0xdf, 0xa3, 0x84, 0x42, 0x86, 0x81, 0x01]);
  const segment = Buffer.from([0x18, 0x53, 0x80, 0x67, 0x85, 1, 2, 3, 4, 5]);
  const webm = Buffer.concat([header, segment]);
  const url = await serve(t, (req, res) => {
    res.writeHead(200, { "content-type": "video/webm" });
    res.end(req.url === "/whole" ? webm : webm.subarray(0, webm.length - 2));
  });
  assert.deepEqual(await downloadVideo(`${url}/whole`, join(dir, "a.webm"), { maxBytes: CAP }), {
    bytes: webm.length,
  });
  await assert.rejects(downloadVideo(`${url}/cut`, join(dir, "b.webm"), { maxBytes: CAP }), {
    kind: "corrupt",
  });
});

test("an endless body is cut at the cap, a declared oversize one is not fetched, and neither is kept", async (t) => {
  const dir = tempDir(t);
  const video = sampleVideo();
  const url = await serve(t, (req, res) => {
    if (req.url === "/declared") {
      res.writeHead(200, { "content-type": "video/mp4", "content-length": 5 * 1024 * 1024 }).end();
      return;
    }
    res.writeHead(200, { "content-type": "video/mp4" });
    res.write(video);
    const more = setInterval(() => {
      if (!res.write(Buffer.alloc(64 * 1024))) return;
    }, 1);
    res.on("close", () => clearInterval(more));
  });
  const cap = 256 * 1024;
  await assert.rejects(downloadVideo(`${url}/endless`, join(dir, "a.mp4"), { maxBytes: cap }), {
    kind: "oversize",
    message: /cap on a video's size; the download was cut/,
    // The error carries the cap as data; whoever shows it words it (the CLI names --max-video-mb).
    size: { capBytes: cap },
  });
  await assert.rejects(downloadVideo(`${url}/declared`, join(dir, "b.mp4"), { maxBytes: cap }), {
    kind: "oversize",
  });
  assert.deepEqual(readdirSync(dir), []);
});

test("a stalled transfer times out on the stall, and the next try resumes it with a Range request", async (t) => {
  const dir = tempDir(t);
  const video = sampleVideo();
  const half = Math.floor(video.length / 2);
  const ranges: string[] = [];
  const url = await serve(t, (req, res) => {
    const range = req.headers.range;
    ranges.push(range ?? "none");
    const m = /^bytes=(\d+)-$/.exec(range ?? "");
    if (m) {
      const from = Number(m[1]);
      res.writeHead(206, {
        "content-type": "video/mp4",
        "content-range": `bytes ${from}-${video.length - 1}/${video.length}`,
        "content-length": video.length - from,
      });
      res.end(video.subarray(from));
      return;
    }
    res.writeHead(200, { "content-type": "video/mp4", "content-length": video.length });
    res.write(video.subarray(0, half)); // then nothing more: a stall
  });
  const target = join(dir, "clip.mp4");
  const partPath = join(dir, ".clip.mp4.0badcafe.part");
  await assert.rejects(downloadVideo(`${url}/v.mp4`, target, { maxBytes: CAP, stallMs: 300, partPath }), {
    kind: "transient",
    message: /stalled/,
  });
  assert.equal(readFileSync(partPath).length, half, "what arrived is kept for the next try");
  const { bytes } = await downloadVideo(`${url}/v.mp4`, target, { maxBytes: CAP, stallMs: 300, partPath });
  assert.equal(bytes, video.length);
  assert.deepEqual(readFileSync(target), video);
  assert.deepEqual(ranges, ["none", `bytes=${half}-`]);
  assert.deepEqual(readdirSync(dir), ["clip.mp4"]);
});

test("only http(s) result URLs are fetched, and redirects only to http(s)", async (t) => {
  const dir = tempDir(t);
  for (const bad of [
    "file:///etc/passwd",
    "data:video/mp4;base64,AAAA",
    "javascript:alert(1)",
    "ftp://x/v.mp4",
  ])
    await assert.rejects(downloadVideo(bad, join(dir, "a.mp4"), { maxBytes: CAP }), { kind: "refused" });
  const url = await serve(t, (_req, res) => res.writeHead(302, { location: "file:///etc/passwd" }).end());
  await assert.rejects(downloadVideo(`${url}/v.mp4`, join(dir, "b.mp4"), { maxBytes: CAP }), DownloadError);
  assert.deepEqual(readdirSync(dir), []);
});

test("downloads under the run's long-lived signal leave no listener on it (memory stays flat per video)", async (t) => {
  const dir = tempDir(t);
  const url = await serve(t, (_req, res) =>
    res.writeHead(200, { "content-type": "video/mp4" }).end(sampleVideo()),
  );
  const run = new AbortController();
  for (let i = 0; i < 25; i++)
    await downloadVideo(`${url}/v${i}.mp4`, join(dir, `clip-${i}.mp4`), {
      maxBytes: CAP,
      signal: run.signal,
    });
  assert.equal(getEventListeners(run.signal, "abort").length, 0);
  assert.equal(readdirSync(dir).length, 25);
  // And a stop still reaches a download under way.
  const slow = await serve(t, (_req, res) => {
    res.writeHead(200, { "content-type": "video/mp4" });
    res.write(sampleVideo().subarray(0, 1000)); // and nothing more
  });
  const stop = new AbortController();
  const pending = downloadVideo(`${slow}/v.mp4`, join(dir, "stopped.mp4"), {
    maxBytes: CAP,
    signal: stop.signal,
  });
  setTimeout(() => stop.abort(new Error("stopped")), 50);
  await assert.rejects(pending);
  assert.equal(existsSync(join(dir, "stopped.mp4")), false);
});
