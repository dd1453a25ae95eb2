import { createHash, randomBytes } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import type { SimState } from "./sim-context.js";
import { type SimImage, sniffImage } from "./sim-image.js";
import type { SimStats } from "./sim-stats.js";

/** A file a client uploaded (KIE's upload API, Wireflow's media endpoints). */
interface MediaFile {
  id: string;
  name: string;
  provider: string;
  data: Buffer;
  sha256: string;
  uploadedAt: number;
  /** When the host deletes it (KIE: after its retention), or never. */
  expiresAt?: number;
}

/**
 * Uploaded files, served at `/sim-media/<id>/<name>` until they expire, and looked up when a create
 * names one: a create that points at an expired or unknown upload is refused, as a real provider
 * cannot fetch it. Kept in the state file with the tasks, so a resumed simulated run finds them.
 */
export function createSimMedia(ctx: {
  stats: SimStats;
  baseUrl: () => string;
  changed: () => void;
  /** How much older than they are the files are taken to be. */
  ageOffsetMs: () => number;
}) {
  const files = new Map<string, MediaFile>();
  const path = (id: string, name: string) => `/sim-media/${id}/${encodeURIComponent(name)}`;
  // The simulator's clock for files: moved forward by the offset, so earlier uploads age at once.
  const clock = () => Date.now() + ctx.ageOffsetMs();
  const live = (file: MediaFile | undefined) =>
    file && (file.expiresAt === undefined || clock() < file.expiresAt) ? file : undefined;

  function byUrl(url: string): MediaFile | undefined {
    let parsed: URL;
    try {
      parsed = new URL(url);
    } catch {
      return undefined;
    }
    const m = /^\/sim-media\/([0-9a-f]+)\//.exec(parsed.pathname);
    return m ? files.get(m[1] as string) : undefined;
  }

  const state: SimState = {
    save: () => [...files.values()].map((f) => ({ ...f, data: f.data.toString("base64") })),
    load(data) {
      if (!Array.isArray(data)) return;
      for (const f of data as (Omit<MediaFile, "data"> & { data: string })[])
        files.set(f.id, { ...f, data: Buffer.from(f.data, "base64") });
    },
  };

  return {
    state,
    /** Stores an upload; `retentionMs` is the host's (undefined: kept). */
    put(provider: string, data: Buffer, name: string, retentionMs?: number) {
      const id = randomBytes(8).toString("hex");
      const now = clock();
      const file: MediaFile = {
        id,
        name,
        provider,
        data,
        sha256: createHash("sha256").update(data).digest("hex"),
        uploadedAt: now,
        ...(retentionMs !== undefined ? { expiresAt: now + retentionMs } : {}),
      };
      files.set(id, file);
      ctx.stats.count(`${provider}.uploads`);
      ctx.stats.uploadedSha256.push(file.sha256);
      ctx.changed();
      return { ...file, url: `${ctx.baseUrl()}${path(id, name)}`, filePath: `${provider}/${id}/${name}` };
    },
    /**
     * Why a create cannot use this image address (undefined: it can). Only uploads to this simulator
     * are looked at; any other address is taken to be reachable.
     */
    problemWith(url: string, accepts: readonly SimImage["type"][]): string | undefined {
      if (!url.startsWith(ctx.baseUrl())) return undefined;
      const file = byUrl(url);
      if (!file) return `${url} was never uploaded`;
      if (!live(file)) {
        ctx.stats.count("media.expired-used");
        return `${url} has expired (uploads are deleted after their retention)`;
      }
      const type = sniffImage(file.data).type;
      return accepts.includes(type) ? undefined : `${url} is ${type}, not one of ${accepts.join(", ")}`;
    },
    /** Serves `/sim-media/…`; false for any other path. */
    serve(req: IncomingMessage, res: ServerResponse, url: URL): boolean {
      if (req.method !== "GET" || !url.pathname.startsWith("/sim-media/")) return false;
      const file = live(byUrl(url.href));
      if (!file) {
        res.writeHead(404, { "content-type": "text/plain" }).end("not found");
        return true;
      }
      const type = sniffImage(file.data).type;
      res
        .writeHead(200, { "content-type": type === "other" ? "application/octet-stream" : type })
        .end(file.data);
      return true;
    },
  };
}

export type SimMedia = ReturnType<typeof createSimMedia>;
