import { createHash } from "node:crypto";
import { readFile, stat } from "node:fs/promises";
import type { LocalFrame } from "../job/job-spec.js";
import { framePathOf } from "./frame-cell.js";

/**
 * A local frame as a stored request names it: its `file://` URL with the hash it was checked
 * under (`#sha256=<hex>`). The ledger keeps this reference, not megabytes of Base64 per row, and
 * the request sent is rebuilt from it exactly — or not at all, if the file has changed since.
 */
export function frameReference(url: string, frame: LocalFrame): string {
  return `${url}#sha256=${frame.sha256}`;
}

const REFERENCE = /^(file:[^#]*)#sha256=([0-9a-f]{64})$/;

/** Whether a request value is a frame reference. */
export function isFrameReference(value: unknown): value is string {
  return typeof value === "string" && REFERENCE.test(value);
}

export class FrameChangedError extends Error {
  constructor(readonly path: string) {
    super(`${path} changed or went missing since it was checked; run again to check it anew`);
    this.name = "FrameChangedError";
  }
}

/** The file a reference names, read and checked against its hash. */
export async function readFrameReference(reference: string): Promise<Buffer> {
  const [, url = "", sha256 = ""] = REFERENCE.exec(reference) ?? [];
  const path = framePathOf(url);
  if (!path) throw new FrameChangedError(url);
  let data: Buffer;
  try {
    data = await readFile(path);
  } catch {
    throw new FrameChangedError(path);
  }
  if (createHash("sha256").update(data).digest("hex") !== sha256) throw new FrameChangedError(path);
  return data;
}

/** The file's Base64 as Kling takes it inline: the encoded bytes alone, no `data:` prefix. */
export async function inlineFrame(reference: string): Promise<string> {
  return (await readFrameReference(reference)).toString("base64");
}

/**
 * Checks that each file is still the one a plan checked, reading it only when it may have changed
 * since it was last read (its size or modification time differ): a frame named by 500 rows is
 * hashed once per run, and one edited meanwhile is caught before a create names it.
 */
export function createFrameVerifier() {
  const seen = new Map<string, string>();
  return async (fileUrl: string, frame: LocalFrame): Promise<void> => {
    const path = framePathOf(fileUrl);
    if (!path) throw new FrameChangedError(fileUrl);
    let key: string;
    try {
      const { size, mtimeMs } = await stat(path);
      key = `${path}\u0000${size}\u0000${mtimeMs}`;
    } catch {
      throw new FrameChangedError(path);
    }
    let sha = seen.get(key);
    if (sha === undefined) {
      let data: Buffer;
      try {
        data = await readFile(path);
      } catch {
        throw new FrameChangedError(path);
      }
      sha = createHash("sha256").update(data).digest("hex");
      seen.set(key, sha);
    }
    if (sha !== frame.sha256) throw new FrameChangedError(path);
  };
}
