import { createHash } from "node:crypto";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { deflateSync } from "node:zlib";

/** A real JPEG (640×360) made with ImageMagick, committed as a fixture. */
export const PHOTO_JPG = fileURLToPath(new URL("../../../test/fixtures/frames/photo.jpg", import.meta.url));

function chunk(type: string, data: Buffer): Buffer {
  const head = Buffer.alloc(8);
  head.writeUInt32BE(data.length, 0);
  head.write(type, 4, "latin1");
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(Buffer.concat([head.subarray(4), data])), 0);
  return Buffer.concat([head, data, crc]);
}

function crc32(bytes: Buffer): number {
  let c = 0xffffffff;
  for (const b of bytes) {
    c ^= b;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  }
  return (c ^ 0xffffffff) >>> 0;
}

/** A valid PNG of one colour (any decoder reads it), `padTo` bytes long with a trailing chunk. */
export function pngBytes(
  width: number,
  height: number,
  options: { shade?: number; padTo?: number } = {},
): Buffer {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr.set([8, 0, 0, 0, 0], 8); // 8-bit greyscale
  const row = Buffer.alloc(width + 1, options.shade ?? 128);
  row[0] = 0;
  const image = deflateSync(Buffer.concat(Array.from({ length: height }, () => row)));
  const parts = [
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk("IHDR", ihdr),
    chunk("IDAT", image),
  ];
  const size = parts.reduce((n, p) => n + p.length, 0) + 12;
  if (options.padTo && options.padTo > size + 12)
    parts.push(chunk("zzPd", Buffer.alloc(options.padTo - size - 12)));
  parts.push(chunk("IEND", Buffer.alloc(0)));
  return Buffer.concat(parts);
}

export function writeFrame(dir: string, name: string, bytes: Buffer): string {
  const path = join(dir, name);
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, bytes);
  return path;
}

export function sha256(bytes: Buffer | string): string {
  return createHash("sha256")
    .update(typeof bytes === "string" ? readFileSync(bytes) : bytes)
    .digest("hex");
}
