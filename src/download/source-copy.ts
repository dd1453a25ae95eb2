import { existsSync } from "node:fs";
import { rename, rm, writeFile } from "node:fs/promises";
import got from "got";
import { readImageHeader } from "../frames/image-header.js";

const MAX_BYTES = 15 * 1024 * 1024;
const KINDS = ["source", "end"] as const;
const EXTENSIONS = { jpeg: "jpg", png: "png", webp: "webp" } as const;

/** Where the copy of a row's frame (0: its source image, 1: its end frame) sits beside its video. */
function copyStem(videoPath: string, index: number): string {
  return `${videoPath.replace(/\.[^./\\]+$/, "")}.${KINDS[index] ?? `frame${index}`}`;
}

/** The saved copy of a row's frame beside its video, if there is one. */
export function findSourceCopy(videoPath: string, index: number): string | undefined {
  const stem = copyStem(videoPath, index);
  return Object.values(EXTENSIONS)
    .map((ext) => `${stem}.${ext}`)
    .find((path) => existsSync(path));
}

/**
 * Saves a copy of each web image a row was made from (its source image, its end frame) beside its
 * video (`shot-3.source.jpg`), so the review page and the report show them offline and after the
 * image host has moved on. Best effort: a host that does not answer in 10 s, a body that is not an
 * image or is over 15 MB, is left alone (the card links the address instead). Written to a
 * temporary name and renamed: a partial file never looks like an image.
 */
export async function saveSourceCopies(
  videoPath: string,
  urls: readonly (string | undefined)[],
  signal: AbortSignal,
): Promise<number> {
  let saved = 0;
  for (const [index, url] of urls.entries()) {
    if (!url || !/^https?:\/\//i.test(url) || findSourceCopy(videoPath, index)) continue;
    try {
      const bytes = await got(url, {
        timeout: { request: 10_000 },
        retry: { limit: 0 },
        responseType: "buffer",
        headers: { "user-agent": "vidbatch" },
        signal,
      }).buffer();
      const header = bytes.length <= MAX_BYTES ? readImageHeader(bytes) : undefined;
      if (header?.kind !== "image") continue;
      const target = `${copyStem(videoPath, index)}.${EXTENSIONS[header.format]}`;
      const tmp = `${target}.${process.pid}.part`;
      try {
        await writeFile(tmp, bytes);
        await rename(tmp, target);
        saved++;
      } finally {
        await rm(tmp, { force: true });
      }
    } catch {
      // The host is slow, gone or refuses us: the card links the address instead.
    }
  }
  return saved;
}
