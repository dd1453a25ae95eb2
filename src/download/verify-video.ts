import { open } from "node:fs/promises";

/**
 * Checks that a downloaded file is a whole video container and not an error page, an empty body
 * or a truncated transfer: the size matches Content-Length when one was sent, and the first bytes
 * are an MP4/QuickTime `ftyp` box or a WebM/Matroska EBML header.
 */
export async function verifyVideoFile(
  path: string,
  expectedBytes: number | undefined,
): Promise<{ bytes: number } | { problem: string }> {
  const handle = await open(path, "r");
  try {
    const { size } = await handle.stat();
    if (size === 0) return { problem: "the download is empty" };
    if (expectedBytes !== undefined && size !== expectedBytes) {
      return { problem: `the download is incomplete (${size} of ${expectedBytes} bytes)` };
    }
    const head = Buffer.alloc(12);
    await handle.read(head, 0, 12, 0);
    const isMp4 = head.subarray(4, 8).toString("latin1") === "ftyp";
    const isEbml = head.readUInt32BE(0) === 0x1a45dfa3;
    if (!isMp4 && !isEbml) return { problem: "the download is not a video file (no MP4 or WebM header)" };
    await handle.sync();
    return { bytes: size };
  } finally {
    await handle.close();
  }
}
