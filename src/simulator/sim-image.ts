/**
 * The simulator's own reading of an image, written apart from vidbatch's (the simulator must be
 * able to disagree with the client): the type from the magic bytes, the size from the PNG IHDR
 * chunk or the first JPEG start-of-frame segment.
 */
export interface SimImage {
  type: "image/png" | "image/jpeg" | "image/webp" | "other";
  width: number;
  height: number;
}

export function sniffImage(data: Buffer): SimImage {
  if (data.length > 24 && data.readUInt32BE(0) === 0x89504e47 && data.readUInt32BE(4) === 0x0d0a1a0a)
    return { type: "image/png", width: data.readUInt32BE(16), height: data.readUInt32BE(20) };
  if (data.length > 4 && data.readUInt16BE(0) === 0xffd8) {
    let i = 2;
    while (i + 9 < data.length && data[i] === 0xff) {
      const marker = data[i + 1] as number;
      if (marker === 0xff) {
        i++; // a fill byte before the marker
        continue;
      }
      const sof = [0xc0, 0xc1, 0xc2, 0xc3, 0xc5, 0xc6, 0xc7, 0xc9, 0xca, 0xcb, 0xcd, 0xce, 0xcf];
      if (sof.includes(marker))
        return { type: "image/jpeg", width: data.readUInt16BE(i + 7), height: data.readUInt16BE(i + 5) };
      i += 2 + data.readUInt16BE(i + 2);
    }
    return { type: "image/jpeg", width: 0, height: 0 };
  }
  if (data.length > 12 && data.toString("ascii", 0, 4) === "RIFF" && data.toString("ascii", 8, 12) === "WEBP")
    return { type: "image/webp", width: 0, height: 0 };
  return { type: "other", width: 0, height: 0 };
}
