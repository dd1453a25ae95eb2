import { createHash } from "node:crypto";
import { extname, join, resolve, sep } from "node:path";

const MAX_NAME = 80;
/** Names Windows gives to devices, with or without an extension. */
const WINDOWS_RESERVED = /^(con|prn|aux|nul|com[0-9]|lpt[0-9])(\..*)?$/i;

function shortHash(text: string): string {
  return createHash("sha256").update(text).digest("hex").slice(0, 6);
}

/** ASCII slug of the first words of a prompt: "A cat, surfing!" → "a-cat-surfing". */
export function slugify(text: string, max = 40): string {
  const slug = text
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "");
  return slug.slice(0, max).replace(/-+$/, "");
}

/**
 * The file name (without extension) for a row's video: the sanitised `id` when the row has one,
 * otherwise the row number and a slug of the prompt. An id that had to be changed to be safe gets a
 * short hash of the original, so "a/b" and "a_b" cannot collide. Never contains a path separator,
 * never starts with a dot, so it can only name a file inside the videos folder; never a name that
 * Windows reserves (con, nul, com1, …) or ends in a dot. (Names that differ only in case are told
 * apart when the ledger places them, for case-insensitive file systems.)
 */
export function videoBaseName(row: { id?: string; rowIndex: number; prompt: string }): string {
  if (row.id !== undefined && row.id !== "") {
    const safe = row.id
      .replace(/[^A-Za-z0-9._-]+/g, "_")
      .replace(/^[._]+/, "")
      .slice(0, MAX_NAME)
      .replace(/\.+$/, "");
    const portable = safe !== "" && !WINDOWS_RESERVED.test(safe);
    return safe === row.id && portable ? safe : `${safe || "id"}-${shortHash(row.id)}`;
  }
  const slug = slugify(row.prompt);
  return `row-${String(row.rowIndex).padStart(4, "0")}${slug ? `-${slug}` : ""}`;
}

const VIDEO_EXTENSIONS = new Set([".mp4", ".mov", ".webm", ".m4v"]);

export function videoExtension(url: string): string {
  try {
    const ext = extname(new URL(url).pathname).toLowerCase();
    return VIDEO_EXTENSIONS.has(ext) ? ext : ".mp4";
  } catch {
    return ".mp4";
  }
}

/** Joins and proves the result stays inside `dir` (defence in depth behind videoBaseName). */
export function pathInside(dir: string, fileName: string): string {
  const root = resolve(dir);
  const full = resolve(join(root, fileName));
  if (!full.startsWith(root + sep))
    throw new Error(`refusing to write outside the videos folder: ${fileName}`);
  return full;
}
