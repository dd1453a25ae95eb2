import { open, stat } from "node:fs/promises";

export interface VideoShape {
  width: number;
  height: number;
}

const cache = new Map<string, { key: string; shape: VideoShape | undefined }>();

/** Box headers (size, type, where its body starts) of the boxes in [start, end) of the file. */
async function* boxes(read: (at: number, n: number) => Promise<Buffer>, start: number, end: number) {
  let at = start;
  for (let i = 0; at + 8 <= end && i < 10_000; i++) {
    const head = await read(at, 16);
    if (head.length < 8) return;
    let size = head.readUInt32BE(0);
    let body = at + 8;
    if (size === 1) {
      if (head.length < 16) return;
      size = Number(head.readBigUInt64BE(8));
      body = at + 16;
    } else if (size === 0) size = end - at;
    if (size < 8) return;
    yield { type: head.subarray(4, 8).toString("latin1"), body, end: Math.min(at + size, end) };
    at += size;
  }
}

/**
 * The picture size of an MP4/MOV from its first video track's header (`moov/trak/tkhd`), turned by
 * the track's matrix (a phone's portrait clip is stored landscape with a 90° turn). Undefined when
 * the file is not an MP4 or has no picture. Reads a few hundred bytes, wherever the index sits.
 */
async function readShape(path: string, size: number): Promise<VideoShape | undefined> {
  const handle = await open(path, "r");
  try {
    const read = async (at: number, n: number) => {
      const buffer = Buffer.alloc(n);
      const { bytesRead } = await handle.read(buffer, 0, n, at);
      return buffer.subarray(0, bytesRead);
    };
    for await (const moov of boxes(read, 0, size)) {
      if (moov.type !== "moov") continue;
      for await (const trak of boxes(read, moov.body, moov.end)) {
        if (trak.type !== "trak") continue;
        for await (const tkhd of boxes(read, trak.body, trak.end)) {
          if (tkhd.type !== "tkhd") continue;
          const body = await read(tkhd.body, Math.min(tkhd.end - tkhd.body, 120));
          const version = body[0];
          const matrixAt = version === 1 ? 52 : 40;
          const sizeAt = matrixAt + 36;
          if (body.length < sizeAt + 8) break;
          const width = body.readUInt32BE(sizeAt) / 65536;
          const height = body.readUInt32BE(sizeAt + 4) / 65536;
          if (width <= 0 || height <= 0) break; // a sound track: try the next
          const turned = body.readInt32BE(matrixAt) === 0 && body.readInt32BE(matrixAt + 4) !== 0;
          return turned ? { width: height, height: width } : { width, height };
        }
      }
      return undefined;
    }
    return undefined;
  } finally {
    await handle.close();
  }
}

/** The video's picture size, read once per file version (size and mtime) in this process. */
export async function videoShape(path: string): Promise<VideoShape | undefined> {
  try {
    const info = await stat(path);
    const key = `${info.size}:${info.mtimeMs}`;
    const known = cache.get(path);
    if (known?.key === key) return known.shape;
    const shape = await readShape(path, info.size);
    cache.set(path, { key, shape });
    return shape;
  } catch {
    return undefined; // gone, or unreadable: the card falls back to the requested aspect ratio
  }
}
