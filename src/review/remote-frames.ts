import got from "got";
import { readImageHeader } from "../frames/image-header.js";

const MAX_BYTES = 15 * 1024 * 1024;
const MAX_KEPT = 300;

/**
 * The review page's copies of source images that live on the web: fetched once by the review
 * server and kept in its memory (never on disk), so the page shows them from 127.0.0.1 and a slow
 * or blocked image host costs one try per image per session, not one per card shown.
 */
export function createRemoteFrames() {
  const kept = new Map<string, Promise<{ type: string; bytes: Buffer } | undefined>>();
  return (url: string): Promise<{ type: string; bytes: Buffer } | undefined> => {
    const known = kept.get(url);
    if (known) return known;
    const fetching = (async () => {
      try {
        const bytes = await got(url, {
          timeout: { request: 15_000 },
          retry: { limit: 1 },
          responseType: "buffer",
          followRedirect: true,
          headers: { "user-agent": "vidbatch-review" },
        }).buffer();
        if (bytes.length > MAX_BYTES) return undefined;
        const header = readImageHeader(bytes);
        if (header.kind !== "image") return undefined;
        return { type: `image/${header.format}`, bytes };
      } catch {
        return undefined;
      }
    })();
    if (kept.size >= MAX_KEPT) kept.delete(kept.keys().next().value as string);
    kept.set(url, fetching);
    return fetching;
  };
}
