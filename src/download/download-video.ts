import { randomBytes } from "node:crypto";
import { createWriteStream } from "node:fs";
import { mkdir, readdir, rename, rm } from "node:fs/promises";
import { basename, dirname } from "node:path";
import { pipeline } from "node:stream/promises";
import got, { HTTPError } from "got";
import { verifyVideoFile } from "./verify-video.js";

export type DownloadFailureKind = "expired" | "transient" | "corrupt";

export class DownloadError extends Error {
  constructor(
    message: string,
    readonly kind: DownloadFailureKind,
  ) {
    super(message);
    this.name = "DownloadError";
  }
}

/**
 * Streams `url` to a hidden temporary file beside `finalPath`, verifies it is a whole video, and
 * only then renames it into place (atomic on one filesystem). A failed or interrupted download
 * leaves no file under the final name: partial files never masquerade as videos.
 */
export async function downloadVideo(
  url: string,
  finalPath: string,
  signal?: AbortSignal,
): Promise<{ bytes: number }> {
  await mkdir(dirname(finalPath), { recursive: true });
  const tmpPath = `${dirname(finalPath)}/.${basename(finalPath)}.${randomBytes(4).toString("hex")}.part`;
  let expected: number | undefined;
  try {
    const stream = got.stream(url, {
      retry: { limit: 0 },
      timeout: { connect: 15_000, response: 60_000, read: 60_000 },
      ...(signal ? { signal } : {}),
    });
    stream.on("response", (response: { headers: Record<string, string | undefined> }) => {
      const length = Number(response.headers["content-length"]);
      // A compressed body's length is not the file's length.
      if (Number.isFinite(length) && length > 0 && !response.headers["content-encoding"]) expected = length;
    });
    await pipeline(stream, createWriteStream(tmpPath, { flags: "wx" }));
    const verdict = await verifyVideoFile(tmpPath, expected);
    if ("problem" in verdict) throw new DownloadError(verdict.problem, "corrupt");
    await rename(tmpPath, finalPath);
    return verdict;
  } catch (error) {
    await rm(tmpPath, { force: true });
    if (error instanceof DownloadError) throw error;
    if (error instanceof HTTPError) {
      const status = error.response.statusCode;
      const expired = status === 401 || status === 403 || status === 404 || status === 410;
      throw new DownloadError(`the video server answered HTTP ${status}`, expired ? "expired" : "transient");
    }
    if (signal?.aborted) throw error;
    const code = (error as { code?: string }).code ?? "ENETWORK";
    throw new DownloadError(`the download failed (${code})`, "transient");
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
