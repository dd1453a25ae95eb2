import { randomBytes } from "node:crypto";
import { createWriteStream } from "node:fs";
import { mkdir, readdir, rename, rm, stat } from "node:fs/promises";
import { basename, dirname } from "node:path";
import { Transform } from "node:stream";
import { pipeline } from "node:stream/promises";
import got, { HTTPError } from "got";
import { formatBytes } from "../util/format-bytes.js";
import { DOWNLOAD_AGENTS } from "../util/http-agents.js";
import { verifyVideoFile } from "./verify-video.js";

/**
 * - expired: the link no longer works (ask the provider for a fresh one)
 * - transient: try again (what arrived is kept for a Range request)
 * - corrupt: what arrived is not a whole video
 * - oversize: larger than the cap; never retried
 * - refused: not an http(s) URL; never fetched
 * - disk-full: the disk holding the videos folder is full (what arrived is removed)
 */
export type DownloadFailureKind = "expired" | "transient" | "corrupt" | "oversize" | "refused" | "disk-full";

export class DownloadError extends Error {
  constructor(
    message: string,
    readonly kind: DownloadFailureKind,
    /** The HTTP status the video server answered, when it answered. */
    readonly status?: number,
    /** For `oversize`: the cap in bytes, and the video's size when the server said it. */
    readonly size?: { capBytes: number; videoBytes?: number },
  ) {
    super(message);
    this.name = "DownloadError";
  }
}

export interface DownloadOptions {
  signal?: AbortSignal;
  /** The largest file accepted; the transfer is cut there. */
  maxBytes: number;
  /** Give up when no byte arrives for this long (not on total time: a slow video still arrives). */
  stallMs?: number;
  /**
   * The temporary file, kept between tries of the same video so that a broken transfer resumes
   * where it stopped (a Range request) instead of from zero. Default: a fresh one, removed on failure.
   */
  partPath?: string;
  /**
   * Called once the file is verified, just before it is renamed into place: a throw keeps the
   * final name untouched (the run no longer owns the folder) and removes the temporary file.
   */
  beforeCommit?: () => void;
}

/** What servers that block scripts expect: a browser-compatible agent that still says who it is. */
export const DOWNLOAD_USER_AGENT =
  "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0 Safari/537.36 vidbatch/0.1";

const DEFAULT_STALL_MS = 30_000;

async function sizeOf(path: string): Promise<number> {
  try {
    return (await stat(path)).size;
  } catch {
    return 0; // no partial file yet
  }
}

/** Counts bytes on their way to disk and cuts the transfer at the cap. */
function capAt(maxBytes: number, already: number): Transform {
  let total = already;
  return new Transform({
    transform(chunk: Buffer, _encoding, done) {
      total += chunk.length;
      if (total > maxBytes)
        done(
          new DownloadError(
            `the video is larger than the ${formatBytes(maxBytes)} cap on a video's size; the download was cut`,
            "oversize",
            undefined,
            { capBytes: maxBytes },
          ),
        );
      else done(null, chunk);
    },
  });
}

/**
 * Streams `url` to a hidden temporary file beside `finalPath`, verifies it is a whole video, and
 * only then renames it into place (atomic on one filesystem). A failed or interrupted download
 * leaves no file under the final name: partial files never masquerade as videos.
 */
export async function downloadVideo(
  url: string,
  finalPath: string,
  options: DownloadOptions,
): Promise<{ bytes: number }> {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new DownloadError("the video URL is not a URL", "refused");
  }
  if (parsed.protocol !== "https:" && parsed.protocol !== "http:")
    throw new DownloadError(
      `the video URL is not http(s) (${parsed.protocol.slice(0, 20)}); it was not fetched`,
      "refused",
    );
  await mkdir(dirname(finalPath), { recursive: true });
  const keepPart = options.partPath !== undefined;
  const tmpPath =
    options.partPath ??
    `${dirname(finalPath)}/.${basename(finalPath)}.${randomBytes(4).toString("hex")}.part`;
  const have = keepPart ? await sizeOf(tmpPath) : 0;
  let expected: number | undefined;
  let append = false;
  let refusal: DownloadError | undefined;
  let commitRefused = false;
  // got.stream never removes the abort listener it adds to the signal it is given: on the run's
  // long-lived signal that kept every finished download (request, buffers, streams) alive, and
  // memory grew with each video. A signal of its own per download, linked here and unlinked in
  // `finally`, goes away with the download.
  const local = new AbortController();
  const onAbort = () => local.abort(options.signal?.reason);
  if (options.signal?.aborted) local.abort(options.signal.reason);
  else options.signal?.addEventListener("abort", onAbort, { once: true });
  try {
    const stream = got.stream(url, {
      retry: { limit: 0 },
      agent: DOWNLOAD_AGENTS,
      // No total time limit: only the connection, the first answer, and any stall are timed.
      timeout: { connect: 15_000, response: 60_000, socket: options.stallMs ?? DEFAULT_STALL_MS },
      headers: { "user-agent": DOWNLOAD_USER_AGENT, ...(have > 0 ? { range: `bytes=${have}-` } : {}) },
      signal: local.signal,
    });
    stream.on("response", (response: { statusCode: number; headers: Record<string, string | undefined> }) => {
      const range = /^bytes (\d+)-\d+\/(\d+)$/.exec(response.headers["content-range"] ?? "");
      append = response.statusCode === 206 && Number(range?.[1]) === have;
      const length = Number(response.headers["content-length"]);
      // A compressed body's length is not the file's length.
      if (append) expected = Number(range?.[2]);
      else if (Number.isFinite(length) && length > 0 && !response.headers["content-encoding"])
        expected = length;
      if (expected !== undefined && expected > options.maxBytes)
        refusal = new DownloadError(
          `the video is ${formatBytes(expected)}, larger than the ${formatBytes(options.maxBytes)} cap on a video's size`,
          "oversize",
          undefined,
          { capBytes: options.maxBytes, videoBytes: expected },
        );
    });
    const body = await new Promise<NodeJS.ReadableStream>((resolve, reject) => {
      stream.once("response", () => resolve(stream));
      stream.once("error", reject);
    });
    if (refusal) {
      stream.destroy();
      throw refusal;
    }
    await pipeline(
      body,
      capAt(options.maxBytes, append ? have : 0),
      createWriteStream(tmpPath, { flags: append ? "a" : "w" }),
    );
    const verdict = await verifyVideoFile(tmpPath, expected);
    if ("problem" in verdict) throw new DownloadError(verdict.problem, "corrupt");
    try {
      options.beforeCommit?.();
    } catch (error) {
      commitRefused = true;
      throw error;
    }
    await rename(tmpPath, finalPath);
    return verdict;
  } catch (error) {
    if (commitRefused) {
      await rm(tmpPath, { force: true });
      throw error;
    }
    const resumable = keepPart && !(error instanceof DownloadError) && !(error instanceof HTTPError);
    if (!resumable) await rm(tmpPath, { force: true });
    if (error instanceof DownloadError) throw error;
    if (error instanceof HTTPError) {
      const status = error.response.statusCode;
      const expired = status === 401 || status === 403 || status === 404 || status === 410;
      throw new DownloadError(
        `the video server answered HTTP ${status}`,
        expired ? "expired" : "transient",
        status,
      );
    }
    if (options.signal?.aborted) throw error;
    const code = (error as { code?: string }).code ?? "ENETWORK";
    if (code === "ENOSPC" || code === "EDQUOT") {
      await rm(tmpPath, { force: true }); // a partial file only takes the space others need
      throw new DownloadError(`the disk is full (${code})`, "disk-full");
    }
    const what = code === "ETIMEDOUT" ? "stalled (no data for a while)" : `failed (${code})`;
    throw new DownloadError(`the download ${what}`, "transient");
  } finally {
    options.signal?.removeEventListener("abort", onAbort);
  }
}

/**
 * Removes temporary files that a killed run left in the videos folder. Safe only while this run
 * holds the ledger lock (no other run downloads into the folder).
 */
export async function removeStalePartFiles(dir: string): Promise<number> {
  let names: string[];
  try {
    names = await readdir(dir);
  } catch {
    return 0; // no folder yet
  }
  const stale = names.filter((n) => n.startsWith(".") && /\.[0-9a-f]{8}\.part$/.test(n));
  await Promise.all(stale.map((n) => rm(`${dir}/${n}`, { force: true })));
  return stale.length;
}
