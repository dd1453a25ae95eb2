import { createHash } from "node:crypto";
import { createWriteStream } from "node:fs";
import { rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pipeline } from "node:stream/promises";
import got from "got";
import { UserError } from "../util/errors.js";

/** The most a remote sheet may weigh: a CSV of 100,000 long prompts fits well inside. */
export const MAX_REMOTE_INPUT_BYTES = 100 * 1024 * 1024;

export interface RemoteInput {
  /** The CSV, downloaded to a temporary file (removed with `cleanup`). */
  path: string;
  /** A file name for the ledger and results in the current folder, e.g. `sheet-1AbC…-0`. */
  name: string;
  cleanup(): Promise<void>;
}

export function isUrl(input: string): boolean {
  return /^https?:\/\//i.test(input.trim());
}

/**
 * A Google Sheets link as users copy it (`…/spreadsheets/d/<id>/edit#gid=<gid>`, `…?usp=sharing`)
 * becomes the sheet's CSV export; any other URL is taken as is.
 */
export function csvUrlOf(input: string): { url: string; name: string } {
  const url = new URL(input.trim());
  const sheet = /^\/spreadsheets\/d\/([\w-]+)/.exec(url.pathname);
  if (url.hostname === "docs.google.com" && sheet?.[1]) {
    const gid = /gid=(\d+)/.exec(url.hash)?.[1] ?? url.searchParams.get("gid") ?? "0";
    return {
      url: `https://docs.google.com/spreadsheets/d/${sheet[1]}/export?format=csv&gid=${gid}`,
      name: `sheet-${sheet[1].slice(0, 12)}-${gid}`,
    };
  }
  const last = url.pathname.split("/").filter(Boolean).pop() ?? url.hostname;
  const base =
    last
      .replace(/\.(csv|tsv|txt)$/i, "")
      .replace(/[^\w.-]+/g, "-")
      .slice(0, 60) || url.hostname;
  return { url: url.href, name: base };
}

/**
 * Downloads a CSV from an https:// URL (redirects followed, at most MAX_REMOTE_INPUT_BYTES) to a
 * temporary file. A web page instead of CSV — what a private Google Sheet answers, its sign-in
 * page — is refused with what to do, and nothing is left behind.
 */
export async function fetchRemoteInput(
  input: string,
  maxBytes = MAX_REMOTE_INPUT_BYTES,
): Promise<RemoteInput> {
  const { url, name } = csvUrlOf(input);
  const path = join(
    tmpdir(),
    `vidbatch-input-${createHash("sha256").update(url).digest("hex").slice(0, 12)}-${process.pid}.csv`,
  );
  const cleanup = () => rm(path, { force: true });
  const stream = got.stream(url, {
    timeout: { request: 120_000 },
    headers: { "user-agent": "vidbatch (CSV input)", accept: "text/csv,text/plain;q=0.9,*/*;q=0.1" },
    maxRedirects: 10,
  });
  let bytes = 0;
  let html = false;
  stream.on("response", (response: { headers: Record<string, string | undefined> }) => {
    html = /text\/html/i.test(response.headers["content-type"] ?? "");
    if (html) stream.destroy(new Error("a web page, not CSV"));
  });
  stream.on("data", (chunk: Buffer) => {
    bytes += chunk.length;
    if (bytes === chunk.length && /^\s*<(!doctype html|html)/i.test(chunk.subarray(0, 200).toString("utf8")))
      html = true;
    // With an error, so the pipeline below rejects (a plain destroy could leave it pending forever).
    if (html || bytes > maxBytes) stream.destroy(new Error(html ? "a web page, not CSV" : "too large"));
  });
  try {
    await pipeline(stream, createWriteStream(path));
  } catch (error) {
    await cleanup();
    if (!html && bytes <= maxBytes) {
      const status = (error as { response?: { statusCode?: number } }).response?.statusCode;
      throw new UserError(
        "INPUT_UNREADABLE",
        `Cannot download the input from ${url}: ${status ? `HTTP ${status}` : (error as Error).message}. Check the link, or download the CSV and run on the file.`,
      );
    }
  }
  if (html) {
    await cleanup();
    throw new UserError(
      "INPUT_UNREADABLE",
      `${url} answered with a web page, not CSV (a private sheet answers with its sign-in page). Share the sheet as "Anyone with the link can view", or download it as CSV and run on the file. Nothing was created.`,
    );
  }
  if (bytes > maxBytes) {
    await cleanup();
    throw new UserError(
      "INPUT_UNREADABLE",
      `The input at ${url} is larger than ${Math.round(maxBytes / 1024 / 1024)} MB. Download it and run on the file.`,
    );
  }
  return { path, name, cleanup };
}
