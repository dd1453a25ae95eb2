import type { IncomingMessage, ServerResponse } from "node:http";
import { sampleVideo } from "./sample-video.js";
import type { SimContext } from "./sim-context.js";

/**
 * Result files: every task's video is the bundled sample MP4. Honours the `expires` query (a dead
 * link answers 404, as an expired KIE temp link does), the download fault rate and the throttle.
 */
export function serveVideo(
  ctx: SimContext,
  exists: (taskId: string) => boolean,
  req: IncomingMessage,
  res: ServerResponse,
  url: URL,
): boolean {
  const m = /^\/files\/([0-9a-zA-Z_-]+)\.mp4$/.exec(url.pathname);
  if (req.method !== "GET" || !m?.[1]) return false;
  const opts = ctx.options();
  const expires = Number(url.searchParams.get("expires") ?? "0");
  if (!exists(m[1]) || (expires > 0 && Date.now() > expires)) {
    ctx.stats.count("files.404");
    res.writeHead(404, { "content-type": "text/plain" }).end("Not Found");
    return true;
  }
  if (ctx.random() < opts.faults.download5xxRate) {
    ctx.stats.count("files.503");
    res.writeHead(503, { "content-type": "text/plain" }).end("Service Unavailable");
    return true;
  }
  ctx.stats.count("files.200");
  const video = sampleVideo();
  res.writeHead(200, { "content-type": "video/mp4", "content-length": video.length });
  const rate = opts.downloadBytesPerSecond;
  if (rate <= 0) {
    res.end(video);
    return true;
  }
  const chunk = Math.max(256, Math.round(rate / 20));
  let offset = 0;
  const timer = setInterval(() => {
    if (res.destroyed) {
      clearInterval(timer);
      return;
    }
    res.write(video.subarray(offset, offset + chunk));
    offset += chunk;
    if (offset >= video.length) {
      clearInterval(timer);
      res.end();
    }
  }, 50);
  timer.unref();
  res.on("close", () => clearInterval(timer));
  return true;
}
