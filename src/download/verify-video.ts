import { type FileHandle, open } from "node:fs/promises";

type Verdict = { bytes: number } | { problem: string };

async function readAt(handle: FileHandle, offset: number, length: number): Promise<Buffer> {
  const buffer = Buffer.alloc(length);
  const { bytesRead } = await handle.read(buffer, 0, length, offset);
  return buffer.subarray(0, bytesRead);
}

/**
 * ISO base media (MP4, MOV, M4V): the file is a sequence of boxes `size(4) type(4)` (size 1: a
 * 64-bit size follows; size 0: the box runs to the end). The sizes must add up to the file's length
 * exactly and a `moov` box (the index without which nothing plays) must be there.
 */
async function checkIsoBoxes(handle: FileHandle, size: number): Promise<string | undefined> {
  let offset = 0;
  let sawMoov = false;
  for (let boxes = 0; offset < size; boxes++) {
    if (boxes > 10_000) return "the MP4 has too many top-level boxes";
    const head = await readAt(handle, offset, 16);
    if (head.length < 8) return `the MP4 is cut short (a box header at byte ${offset} is incomplete)`;
    const type = head.subarray(4, 8).toString("latin1");
    if (!/^[\x20-\x7e]{4}$/.test(type)) return `the MP4 is damaged at byte ${offset} (no box there)`;
    let boxSize = head.readUInt32BE(0);
    if (boxSize === 1) {
      if (head.length < 16) return "the MP4 is cut short";
      boxSize = Number(head.readBigUInt64BE(8));
    } else if (boxSize === 0) boxSize = size - offset;
    if (boxSize < 8) return `the MP4 is damaged at byte ${offset} (box "${type}" of ${boxSize} bytes)`;
    if (type === "moov") sawMoov = true;
    offset += boxSize;
  }
  if (offset !== size) return `the MP4 is cut short (its boxes need ${offset} bytes, the file has ${size})`;
  if (!sawMoov) return "the MP4 has no moov box (it cannot play: cut short or not finished)";
  return undefined;
}

/** An EBML variable-length integer at `at`: its value and length (the marker bit removed when `strip`). */
function readVint(
  buf: Buffer,
  at: number,
  strip: boolean,
): { value: number; length: number; unknown: boolean } | undefined {
  const first = buf[at];
  if (first === undefined || first === 0) return undefined;
  const length = Math.clz32(first) - 23;
  if (at + length > buf.length) return undefined;
  let value = strip ? first & (0xff >> length) : first;
  let allOnes = value === 0xff >> length;
  for (let i = 1; i < length; i++) {
    const byte = buf[at + i] as number;
    value = value * 256 + byte;
    allOnes &&= byte === 0xff;
  }
  return { value, length, unknown: strip && allOnes };
}

/**
 * WebM/Matroska: top-level EBML elements `id size data`: the EBML header, then a Segment whose size
 * (unless "unknown", as live recordings write it) must fit the file exactly.
 */
async function checkEbml(handle: FileHandle, size: number): Promise<string | undefined> {
  let offset = 0;
  let sawSegment = false;
  for (let elements = 0; offset < size; elements++) {
    if (elements > 1_000) return "the WebM has too many top-level elements";
    const head = await readAt(handle, offset, 16);
    const id = readVint(head, 0, false);
    const len = id ? readVint(head, id.length, true) : undefined;
    if (!id || !len) return `the WebM is damaged at byte ${offset}`;
    if (id.value === 0x18538067) sawSegment = true;
    if (len.unknown) {
      offset = size; // runs to the end of the file
      break;
    }
    offset += id.length + len.length + len.value;
  }
  if (offset !== size)
    return `the WebM is cut short (its elements need ${offset} bytes, the file has ${size})`;
  if (!sawSegment) return "the WebM has no Segment (no video in it)";
  return undefined;
}

/**
 * Checks that a downloaded file is a whole video and not an error page, an empty body or a
 * truncated transfer: the size matches Content-Length when one was sent, and the container's own
 * structure (MP4 boxes, WebM elements) accounts for every byte of the file.
 */
export async function verifyVideoFile(path: string, expectedBytes: number | undefined): Promise<Verdict> {
  const handle = await open(path, "r");
  try {
    const { size } = await handle.stat();
    if (size === 0) return { problem: "the download is empty" };
    if (expectedBytes !== undefined && size !== expectedBytes) {
      return { problem: `the download is incomplete (${size} of ${expectedBytes} bytes)` };
    }
    const head = await readAt(handle, 0, 12);
    const isMp4 = head.subarray(4, 8).toString("latin1") === "ftyp";
    const isEbml = head.length >= 4 && head.readUInt32BE(0) === 0x1a45dfa3;
    if (!isMp4 && !isEbml) return { problem: "the download is not a video file (no MP4 or WebM header)" };
    const problem = isMp4 ? await checkIsoBoxes(handle, size) : await checkEbml(handle, size);
    if (problem) return { problem };
    await handle.sync();
    return { bytes: size };
  } finally {
    await handle.close();
  }
}
