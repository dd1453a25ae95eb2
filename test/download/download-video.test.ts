import assert from "node:assert/strict";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { DownloadError, downloadVideo } from "../../src/download/download-video.js";
import { pathInside, videoBaseName } from "../../src/download/video-name.js";
import { sampleVideo } from "../../src/simulator/sample-video.js";
import { tempDir } from "../helpers/fixtures.js";
import { test } from "../helpers/leaks.js";

async function serve(
  t: { after: (fn: () => Promise<void>) => void },
  handler: Parameters<typeof createServer>[1],
): Promise<string> {
  const server: Server = createServer(handler);
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  t.after(
    () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  );
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

test("a whole video lands under its final name, byte for byte, with no temporary file left", async (t) => {
  const dir = tempDir(t);
  const url = await serve(t, (_req, res) =>
    res.writeHead(200, { "content-type": "video/mp4" }).end(sampleVideo()),
  );
  const target = join(dir, "clip.mp4");
  const { bytes } = await downloadVideo(`${url}/v.mp4`, target);
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
  await assert.rejects(downloadVideo(`${url}/v.mp4`, target), DownloadError);
  assert.equal(existsSync(target), false);
  assert.deepEqual(readdirSync(dir), [], "the partial .part file is removed");
});

test("an error page served with 200 is not taken for a video", async (t) => {
  const dir = tempDir(t);
  const url = await serve(t, (_req, res) =>
    res.writeHead(200, { "content-type": "text/html" }).end("<html>Access denied</html>"),
  );
  await assert.rejects(downloadVideo(`${url}/v.mp4`, join(dir, "x.mp4")), { kind: "corrupt" });
  assert.deepEqual(readdirSync(dir), []);
});

test("HTTP 404/403 mean the link expired; 503 is transient", async (t) => {
  const dir = tempDir(t);
  const url = await serve(t, (req, res) => res.writeHead(req.url === "/gone" ? 404 : 503).end());
  await assert.rejects(downloadVideo(`${url}/gone`, join(dir, "a.mp4")), { kind: "expired" });
  await assert.rejects(downloadVideo(`${url}/busy`, join(dir, "b.mp4")), { kind: "transient" });
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
