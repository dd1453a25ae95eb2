import { createHash } from "node:crypto";
import { lstat, open, readlink, stat } from "node:fs/promises";
import { relative, sep } from "node:path";
import type { LocalFrame } from "../job/job-spec.js";
import { checkFrame, type FrameRules } from "./frame-rules.js";
import { type ImageHeader, readImageHeader } from "./image-header.js";

/** A file as read once: what it is (and where it was found), or why it cannot be read. */
type FileLook =
  | { path: string; size: number; header: ImageHeader; sha256: string | undefined }
  | { problem: string };

/** Enough of a file to read any JPEG's frame header past its EXIF and thumbnails. */
const HEADER_BYTES = 256 * 1024;

const INVISIBLE = /[\u200b-\u200d\u2060\ufeff]/g;

/**
 * The names a cell may mean besides its own spelling: the other Unicode form (a name typed on a
 * Mac is decomposed, one pasted elsewhere composed), and without invisible characters.
 */
function otherSpellings(path: string): string[] {
  return [...new Set([path.normalize("NFC"), path.normalize("NFD"), path.replace(INVISIBLE, "")])].filter(
    (p) => p !== path,
  );
}

/**
 * Reads local frames for a plan: each file once (a sheet naming one frame on 500 rows reads it
 * once), its real format from its bytes, its pixel size, and its SHA-256 — the identity it is
 * uploaded under and sent as. Files larger than `maxBytes` are not hashed (they are refused).
 */
export function createFrameInspector(baseDir: string) {
  const looks = new Map<string, Promise<FileLook>>();

  /** How a path is shown in messages: relative to the input's folder when inside it. */
  const shown = (path: string) => {
    const rel = relative(baseDir, path);
    return rel && !rel.startsWith("..") && !rel.startsWith(sep) ? rel : path;
  };

  async function look(given: string, maxBytes: number): Promise<FileLook> {
    let path = given;
    let handle: Awaited<ReturnType<typeof open>>;
    try {
      let kind: Awaited<ReturnType<typeof stat>>;
      try {
        kind = await stat(path);
      } catch (error) {
        const found = await firstExisting(otherSpellings(path));
        if (!found) throw error;
        path = found;
        kind = await stat(path);
      }
      // Only a regular file is opened: a named pipe would block the plan until someone writes to it.
      if (kind.isDirectory()) return { problem: `${shown(path)} is a folder; name an image file in it` };
      if (!kind.isFile())
        return { problem: `${shown(path)} is not a regular file (a device or a pipe); name an image file` };
      handle = await open(path, "r");
    } catch (error) {
      return { problem: await describeOpenError(path, shown(path), baseDir, error) };
    }
    try {
      const { size } = await handle.stat();
      const readLength = size <= maxBytes ? size : Math.min(size, HEADER_BYTES);
      const bytes = Buffer.alloc(readLength);
      let at = 0;
      while (at < readLength) {
        const { bytesRead } = await handle.read(bytes, at, readLength - at, at);
        if (bytesRead === 0) break;
        at += bytesRead;
      }
      const whole = size <= maxBytes && at === size;
      return {
        path,
        size,
        header: readImageHeader(bytes.subarray(0, at), { whole }),
        sha256: whole ? createHash("sha256").update(bytes).digest("hex") : undefined,
      };
    } catch (error) {
      return {
        problem: `${shown(path)} cannot be read (${(error as NodeJS.ErrnoException).code ?? "read error"})`,
      };
    } finally {
      await handle.close();
    }
  }

  return {
    shown,
    /** The frame at `path` (or where it was found under another spelling) if it passes `rules`, else the problem. */
    async inspect(
      path: string,
      rules: FrameRules,
    ): Promise<{ frame: LocalFrame; path: string } | { problem: string }> {
      const key = `${path}\u0000${rules.maxBytes}`;
      let pending = looks.get(key);
      if (!pending) {
        pending = look(path, rules.maxBytes);
        looks.set(key, pending);
      }
      const result = await pending;
      if ("problem" in result) return { problem: result.problem };
      const { size, header, sha256 } = result;
      const bad = checkFrame(header, size, rules);
      if (bad) return { problem: `${shown(result.path)} ${bad}` };
      if (header.kind !== "image" || sha256 === undefined)
        return { problem: `${shown(result.path)} changed while it was being read; run again` };
      return {
        path: result.path,
        frame: { sha256, bytes: size, format: header.format, width: header.width, height: header.height },
      };
    },
  };
}

export type FrameInspector = ReturnType<typeof createFrameInspector>;

async function firstExisting(paths: readonly string[]): Promise<string | undefined> {
  for (const path of paths) {
    try {
      await stat(path);
      return path;
    } catch {
      // not under this spelling either
    }
  }
  return undefined;
}

/** What to tell the user about a file that cannot be opened, with the likeliest fix. */
async function describeOpenError(
  path: string,
  shownPath: string,
  baseDir: string,
  error: unknown,
): Promise<string> {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === "ENOENT") {
    const link = await lstat(path).catch(() => undefined);
    if (link?.isSymbolicLink())
      return `${shownPath} is a link to ${await readlink(path).catch(() => "a file")}, which does not exist`;
    if (/^[a-z]:[\\/]/i.test(shownPath) || shownPath.includes("\\"))
      return `there is no file ${shownPath}: it looks like a Windows path; on this machine write the path with /, relative to ${baseDir} or from /`;
    const first = shownPath.split("/")[0] ?? "";
    const looksLikeHost =
      /^[a-z0-9-]+(\.[a-z0-9-]+)*\.[a-z]{2,}$/i.test(first) &&
      !/\.(png|jpe?g|webp|gif|bmp|tiff?|heic|avif|svg|csv|txt)$/i.test(first);
    return looksLikeHost
      ? `there is no file ${shownPath}; if it is a web address, begin it with https://`
      : `there is no file ${shownPath} (paths are relative to ${baseDir}); check the name, or give an https:// URL`;
  }
  if (code === "ELOOP") return `${shownPath} is a link that leads back to itself; name the image file itself`;
  if (code === "EACCES" || code === "EPERM") return `${shownPath} cannot be read (permission denied)`;
  if (code === "EISDIR") return `${shownPath} is a folder; name an image file in it`;
  return `${shownPath} cannot be opened (${code ?? "error"})`;
}
