/** What a file is, read from its first bytes (never from its name). */
export type ImageFormat = "jpeg" | "png" | "webp";

export type ImageHeader =
  | { kind: "image"; format: ImageFormat; width: number; height: number }
  /** A known format vidbatch does not send (GIF, HEIC…), or a file that is not an image at all. */
  | { kind: "other"; what: string };

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

/**
 * Reads the format and pixel size from a file's bytes: PNG (IHDR), JPEG (the first SOFn frame
 * header) and WebP (VP8, VP8L, VP8X). Anything else is named as well as the bytes allow, so a
 * message can say "is a GIF" or "is a web page" rather than "bad image".
 */
export function readImageHeader(bytes: Buffer, options: { whole?: boolean } = {}): ImageHeader {
  if (bytes.length >= 24 && bytes.subarray(0, 8).equals(PNG_SIGNATURE)) {
    if (bytes.toString("latin1", 12, 16) !== "IHDR") return { kind: "other", what: "a damaged PNG file" };
    if (options.whole && !isWholePng(bytes))
      return { kind: "other", what: "a PNG file cut short or damaged (no image data before its end)" };
    return image("png", bytes.readUInt32BE(16), bytes.readUInt32BE(20));
  }
  if (bytes.length >= 4 && bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff)
    return readJpeg(bytes, options.whole === true);
  if (
    bytes.length >= 16 &&
    bytes.toString("latin1", 0, 4) === "RIFF" &&
    bytes.toString("latin1", 8, 12) === "WEBP"
  ) {
    // RIFF's size counts the bytes after its first eight.
    if (options.whole && bytes.readUInt32LE(4) + 8 > bytes.length)
      return { kind: "other", what: "a WebP file cut short" };
    return readWebp(bytes);
  }
  return { kind: "other", what: describeOther(bytes) };
}

/** Every chunk's length fits, there is image data, and the end marker comes. */
function isWholePng(bytes: Buffer): boolean {
  let at = 8;
  let data = false;
  while (at + 12 <= bytes.length) {
    const length = bytes.readUInt32BE(at);
    const type = bytes.toString("latin1", at + 4, at + 8);
    if (at + 12 + length > bytes.length) return false;
    if (type === "IDAT") data = true;
    if (type === "IEND") return data;
    at += 12 + length;
  }
  return false;
}

function image(format: ImageFormat, width: number, height: number): ImageHeader {
  if (width <= 0 || height <= 0) return { kind: "other", what: `a damaged ${format.toUpperCase()} file` };
  return { kind: "image", format, width, height };
}

/** Start-of-frame markers carry the size; C4 (DHT), C8 (JPG) and CC (DAC) share the range but do not. */
function isStartOfFrame(marker: number): boolean {
  return marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc;
}

const END_OF_IMAGE = Buffer.from([0xff, 0xd9]);

/**
 * The first start-of-frame gives the size. A whole file has its end-of-image marker after it (in
 * the scan, 0xFF is always followed by 0x00 or a restart marker, so FFD9 there is the end; data a
 * camera appends after the end, such as a motion photo's video, is allowed).
 */
function readJpeg(bytes: Buffer, whole: boolean): ImageHeader {
  let at = 2;
  while (at + 4 <= bytes.length) {
    if (bytes[at] !== 0xff) return { kind: "other", what: "a damaged JPEG file" };
    const marker = bytes[at + 1] as number;
    if (marker === 0xff) {
      at++; // fill byte
      continue;
    }
    // Markers without a length: TEM, RST0–7, SOI.
    if (marker === 0x01 || (marker >= 0xd0 && marker <= 0xd8)) {
      at += 2;
      continue;
    }
    if (marker === 0xd9 || marker === 0xda) break; // end of image, or the scan began with no frame header
    const length = bytes.readUInt16BE(at + 2);
    if (isStartOfFrame(marker)) {
      if (at + 9 > bytes.length) break;
      if (whole && bytes.lastIndexOf(END_OF_IMAGE) < at)
        return { kind: "other", what: "a JPEG file cut short (it has no end-of-image marker)" };
      return image("jpeg", bytes.readUInt16BE(at + 7), bytes.readUInt16BE(at + 5));
    }
    at += 2 + length;
  }
  return { kind: "other", what: "a JPEG file without a readable size (damaged or cut short)" };
}

function readWebp(bytes: Buffer): ImageHeader {
  const chunk = bytes.toString("latin1", 12, 16);
  if (chunk === "VP8X" && bytes.length >= 30)
    return image("webp", 1 + bytes.readUIntLE(24, 3), 1 + bytes.readUIntLE(27, 3));
  if (chunk === "VP8L" && bytes.length >= 25) {
    const bits = bytes.readUInt32LE(21);
    return image("webp", 1 + (bits & 0x3fff), 1 + ((bits >> 14) & 0x3fff));
  }
  if (chunk === "VP8 " && bytes.length >= 30)
    return image("webp", bytes.readUInt16LE(26) & 0x3fff, bytes.readUInt16LE(28) & 0x3fff);
  return { kind: "other", what: "a damaged WebP file" };
}

/** What a file that is not a JPEG, PNG or WebP image most likely is, for the message. */
function describeOther(bytes: Buffer): string {
  const head = bytes.toString("latin1", 0, 16);
  if (head.startsWith("GIF8")) return "a GIF image";
  if (head.startsWith("BM")) return "a BMP image";
  if (head.startsWith("II*\u0000") || head.startsWith("MM\u0000*")) return "a TIFF image";
  if (head.startsWith("%PDF")) return "a PDF document";
  if (bytes.length >= 12 && bytes.toString("latin1", 4, 8) === "ftyp") {
    const brand = bytes.toString("latin1", 8, 12);
    if (/^(heic|heix|hevc|mif1|msf1)$/.test(brand)) return "a HEIC image";
    if (/^avi[fs]$/.test(brand)) return "an AVIF image";
    return "a video file";
  }
  if (bytes.length === 0) return "an empty file";
  const text = bytes.toString("utf8", 0, Math.min(bytes.length, 512)).trimStart().toLowerCase();
  if (text.startsWith("<!doctype html") || text.startsWith("<html")) return "a web page (HTML), not an image";
  if (text.startsWith("<svg") || (text.startsWith("<?xml") && text.includes("<svg"))) return "an SVG drawing";
  if (!bytes.subarray(0, 512).some((b) => b === 0)) return "a text file, not an image";
  return "not an image vidbatch can read";
}
