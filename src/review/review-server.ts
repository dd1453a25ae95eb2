import { randomBytes } from "node:crypto";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import type Database from "better-sqlite3";
import { framePathOf } from "../frames/frame-cell.js";
import type { JobSpec } from "../job/job-spec.js";
import { createMarkStore, MARKS, type Mark } from "../ledger/mark-store.js";
import { createReviewMedia, readLatestChange, readRowKeys } from "../ledger/review-rows.js";
import { readRunLock } from "../ledger/run-lock.js";
import { batchFigures } from "../output/html-report.js";
import { createRemoteFrames } from "./remote-frames.js";
import { frameCopy, framesOf, type MediaLinks, readCards } from "./review-cards.js";
import { reviewPage } from "./review-page.js";
import { serveFile } from "./serve-media.js";

export interface ReviewServerOptions {
  db: Database.Database;
  name: string;
  redoCommand: string;
  secrets: readonly string[];
  word?: (text: string) => string;
  /** 0: any free port. */
  port: number;
}

const NOTE_MAX = 4000;
/** Changes are asked for from a little before the last answer's clock: a write that committed late is not missed. */
const OVERLAP_MS = 5000;

const LINKS: MediaLinks = {
  video: (row, attempt) =>
    `/media/video?row=${encodeURIComponent(row.row_key)}${attempt ? `&task=${attempt.id}` : ""}`,
  frame: (row, i) => `/media/frame?row=${encodeURIComponent(row.row_key)}&n=${i}`,
};

function send(res: ServerResponse, status: number, body: unknown): void {
  res
    .writeHead(status, { "content-type": "application/json; charset=utf-8", "cache-control": "no-store" })
    .end(JSON.stringify(body));
}

async function readBody(req: IncomingMessage, limit: number): Promise<string> {
  let size = 0;
  const chunks: Buffer[] = [];
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > limit) throw new Error("too large");
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString("utf8");
}

/**
 * The review page's server, on 127.0.0.1 only. It reads the ledger for every answer (a run may be
 * writing it; the run's lock is never taken) and writes only marks and notes. Requests must name
 * this server as their Host (no DNS rebinding), and a write must come from this page's own origin
 * as JSON (no cross-site form or script can mark a row). Media are files the ledger names, never a
 * path from the request.
 */
export async function startReviewServer(options: ReviewServerOptions) {
  const { db } = options;
  const marks = createMarkStore(db);
  const remote = createRemoteFrames();
  const media = createReviewMedia(db);
  let port = options.port;
  const allowedHosts = () => [`127.0.0.1:${port}`, `localhost:${port}`];
  const allowedOrigins = () => allowedHosts().map((h) => `http://${h}`);

  const cardsSince = async (since: string | undefined) => {
    const cursor = readLatestChange(db);
    const cards = await readCards(db, LINKS, {
      secrets: options.secrets,
      ...(options.word ? { word: options.word } : {}),
      ...(since ? { since } : {}),
    });
    const back = cursor ? new Date(Date.parse(cursor) - OVERLAP_MS).toISOString() : "";
    return { cards, cursor: back };
  };

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    if (!allowedHosts().includes(req.headers.host ?? "")) {
      res.writeHead(421, { "content-type": "text/plain" }).end("This server answers only at its own address");
      return;
    }
    const url = new URL(req.url ?? "/", `http://${req.headers.host}`);
    const write = req.method !== "GET" && req.method !== "HEAD";
    if (write) {
      const origin = req.headers.origin;
      const site = req.headers["sec-fetch-site"];
      if (!origin || !allowedOrigins().includes(origin) || (site !== undefined && site !== "same-origin")) {
        send(res, 403, { error: "writes are accepted from this page only" });
        return;
      }
    } else if (req.headers["sec-fetch-site"] === "cross-site") {
      res.writeHead(403, { "content-type": "text/plain" }).end("Not for other sites");
      return;
    }
    res.setHeader("x-content-type-options", "nosniff");
    res.setHeader("referrer-policy", "no-referrer");
    if (req.method === "GET" && url.pathname === "/") {
      const nonce = randomBytes(16).toString("base64");
      const { cards, cursor } = await cardsSince(undefined);
      res.writeHead(200, {
        "content-type": "text/html; charset=utf-8",
        "cache-control": "no-store",
        "x-frame-options": "DENY",
        "content-security-policy": `default-src 'none'; script-src 'nonce-${nonce}'; style-src 'nonce-${nonce}'; img-src 'self' blob: data:; media-src 'self'; connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'`,
      });
      res.end(
        reviewPage(
          {
            name: options.name,
            cards,
            ...batchFigures(db),
            live: true,
            redoCommand: options.redoCommand,
            cursor,
          },
          nonce,
        ),
      );
      return;
    }
    if (url.pathname === "/favicon.ico") {
      res.writeHead(204).end();
      return;
    }
    if (req.method === "GET" && url.pathname === "/api/cards") {
      const since = url.searchParams.get("since") || undefined;
      const { cards, cursor } = await cardsSince(since);
      const lock = readRunLock(db);
      send(res, 200, {
        cards,
        cursor,
        keys: readRowKeys(db),
        running: lock?.fresh === true,
        ...batchFigures(db),
      });
      return;
    }
    if (req.method === "POST" && url.pathname === "/api/marks") {
      if (!/^application\/json\b/i.test(req.headers["content-type"] ?? "")) {
        send(res, 415, { error: "send JSON" });
        return;
      }
      let body: { key?: unknown; mark?: unknown; note?: unknown };
      try {
        body = JSON.parse(await readBody(req, 64 * 1024)) as typeof body;
      } catch {
        send(res, 400, { error: "the body is not JSON (or is over 64 KiB)" });
        return;
      }
      if (typeof body !== "object" || body === null || Array.isArray(body)) body = {};
      const mark = body.mark;
      // A note is text: control characters other than a newline or a tab are dropped.
      if (typeof body.note === "string")
        body.note = [...body.note]
          .filter((c) => c === "\n" || c === "\t" || (c >= " " && c !== "\u007f"))
          .join("");
      if (
        typeof body.key !== "string" ||
        (mark !== undefined && mark !== null && !MARKS.includes(mark as Mark)) ||
        (body.note !== undefined && (typeof body.note !== "string" || [...body.note].length > NOTE_MAX))
      ) {
        send(res, 400, {
          error: `send {key, mark: "keep" | "redo" | null, note: text up to ${NOTE_MAX} characters}`,
        });
        return;
      }
      const saved = marks.set(body.key, {
        ...(mark !== undefined ? { mark: mark as Mark | null } : {}),
        ...(typeof body.note === "string" ? { note: body.note } : {}),
      });
      if (!saved) {
        send(res, 404, { error: "no such row in this batch" });
        return;
      }
      const now = media.markOf(body.key) as { mark: Mark | null; note: string };
      send(res, 200, { key: body.key, line: saved.line, mark: now.mark, note: now.note });
      return;
    }
    if (req.method === "GET" || req.method === "HEAD") {
      const row = url.searchParams.get("row") ?? "";
      if (url.pathname === "/media/video") {
        const task = Number(url.searchParams.get("task") ?? "0");
        const path = media.videoPath(row, Number.isInteger(task) ? task : 0);
        if (path) return serveFile(req, res, path);
      }
      if (url.pathname === "/media/frame") {
        const specJson = media.specJson(row);
        const s = specJson ? (JSON.parse(specJson) as Partial<JobSpec>) : {};
        const n = Number(url.searchParams.get("n") ?? "-1");
        const frame = framesOf(s)[n];
        const copy = frame ? frameCopy(media.videoPath(row, 0), frame, n) : undefined;
        if (copy) return serveFile(req, res, copy);
        const local = frame ? framePathOf(frame) : undefined;
        if (local) return serveFile(req, res, local);
        const fetched = frame ? await remote(frame) : undefined;
        if (fetched) {
          res
            .writeHead(200, { "content-type": fetched.type, "cache-control": "max-age=3600" })
            .end(fetched.bytes);
          return;
        }
      }
    }
    res.writeHead(404, { "content-type": "text/plain" }).end("Not found");
  };

  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      if (!res.headersSent) send(res, 500, { error: (error as Error).message });
      else res.destroy();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port, "127.0.0.1", () => {
      server.off("error", reject);
      resolve();
    });
  });
  port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}/`,
    port,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
