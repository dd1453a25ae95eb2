import { createHash } from "node:crypto";
import { open, stat } from "node:fs/promises";
import { relative, sep } from "node:path";
import type { LocalFrame } from "../job/job-spec.js";
import { checkFrame, type FrameRules } from "./frame-rules.js";
import { type ImageHeader, readImageHeader } from "./image-header.js";

/** A file as read once: what it is, or why it cannot be read. */
type FileLook = { size: number; header: ImageHeader; sha256: string | undefined } | { problem: string };

/** Enough of a file to read any JPEG's frame header past its EXIF and thumbnails. */
const HEADER_BYTES = 256 * 1024;

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

  async function look(path: string, maxBytes: number): Promise<FileLook> {
    let handle: Awaited<ReturnType<typeof open>>;
    try {
      // Only a regular file is opened: a named pipe would block the plan until someone writes to it.
      const kind = await stat(path);
      if (kind.isDirectory()) return { problem: `${shown(path)} is a folder; name an image file in it` };
      if (!kind.isFile())
        return { problem: `${shown(path)} is not a regular file (a device or a pipe); name an image file` };
      handle = await open(path, "r");
    } catch (error) {
      return { problem: describeOpenError(shown(path), baseDir, error) };
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
        size,
        header: readImageHeader(bytes.subarray(0, at)),
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
    /** The frame at `path` if it passes `rules`, else the problem (naming the file). */
    async inspect(path: string, rules: FrameRules): Promise<{ frame: LocalFrame } | { problem: string }> {
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
      if (bad) return { problem: `${shown(path)} ${bad}` };
      if (header.kind !== "image" || sha256 === undefined)
        return { problem: `${shown(path)} changed while it was being read; run again` };
      return {
        frame: { sha256, bytes: size, format: header.format, width: header.width, height: header.height },
      };
    },
  };
}

export type FrameInspector = ReturnType<typeof createFrameInspector>;

function describeOpenError(shownPath: string, baseDir: string, error: unknown): string {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === "ENOENT") {
    const first = shownPath.split(/[\\/]/)[0] ?? "";
    const looksLikeHost = /^(www\.|[\w-]+\.(com|net|org|io|ai|co)\b)/i.test(first);
    return looksLikeHost
      ? `there is no file ${shownPath}; if it is a web address, begin it with https://`
      : `there is no file ${shownPath} (paths are relative to ${baseDir}); check the name, or give an https:// URL`;
  }
  if (code === "EACCES" || code === "EPERM") return `${shownPath} cannot be read (permission denied)`;
  if (code === "EISDIR") return `${shownPath} is a folder; name an image file in it`;
  return `${shownPath} cannot be opened (${code ?? "error"})`;
}
