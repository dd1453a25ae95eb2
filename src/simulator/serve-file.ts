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
  viaProxy = false,
): boolean {
  const m = /^\/files\/([0-9a-zA-Z_-]+)\.mp4$/.exec(url.pathname);
  if (req.method !== "GET" || !m?.[1]) return false;
  const opts = ctx.options();
  // Wireflow's CDN: an edge rule refuses script user agents (curl, python, bare HTTP libraries),
  // and the simulator can refuse every direct download so that only the proxy serves them.
  if (m[1].startsWith("exec_") && !viaProxy) {
    const agent = req.headers["user-agent"] ?? "";
    if (
      opts.wireflow.cdnBlocksDirect ||
      agent === "" ||
      /curl|python|wget|got \(|node-fetch|undici/i.test(agent)
    ) {
      ctx.stats.count("files.403");
      res.writeHead(403, { "content-type": "text/html" }).end("<html><body>Forbidden</body></html>");
      return true;
    }
  }
  const portrait = m[1].endsWith("-portrait");
  const fileId = portrait ? m[1].slice(0, -"-portrait".length) : m[1];
  const expires = Number(url.searchParams.get("expires") ?? "0");
  if (!exists(fileId) || (expires > 0 && Date.now() > expires)) {
    ctx.stats.count("files.404");
    res.writeHead(404, { "content-type": "text/plain" }).end("Not Found");
    return true;
  }
  if (ctx.random() < opts.faults.download5xxRate) {
    ctx.stats.count("files.503");
    res.writeHead(503, { "content-type": "text/plain" }).end("Service Unavailable");
    return true;
  }
  const whole = sampleVideo(portrait);
  // Range requests (bytes=N-), as CDNs answer them: the rest of the file from N.
  const range = /^bytes=(\d+)-$/.exec(req.headers.range ?? "");
  const from = range ? Number(range[1]) : 0;
  if (from >= whole.length) {
    res.writeHead(416, { "content-range": `bytes */${whole.length}` }).end();
    return true;
  }
  const video = whole.subarray(from);
  const headers = {
    "content-type": "video/mp4",
    "content-length": video.length,
    ...(range ? { "content-range": `bytes ${from}-${whole.length - 1}/${whole.length}` } : {}),
  };
  const status = range ? 206 : 200;
  // Drawn only when the fault is on, so seeded runs without it keep their sequence.
  if (opts.faults.downloadTruncateRate > 0 && ctx.random() < opts.faults.downloadTruncateRate) {
    // Half the body, no length to compare with, then a clean end: only the file's structure tells.
    ctx.stats.count("files.truncated");
    res
      .writeHead(status, { "content-type": "video/mp4" })
      .end(video.subarray(0, Math.floor(video.length / 2)));
    return true;
  }
  if (opts.faults.downloadStallRate > 0 && ctx.random() < opts.faults.downloadStallRate) {
    // Half the body, then nothing: the client must give up on the stall and resume the rest.
    ctx.stats.count("files.stalled");
    res.writeHead(status, headers);
    res.write(video.subarray(0, Math.floor(video.length / 2)));
    return true;
  }
  ctx.stats.count(range ? "files.206" : "files.200");
  res.writeHead(status, headers);
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
