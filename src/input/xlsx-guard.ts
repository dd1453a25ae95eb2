import { readFile, stat } from "node:fs/promises";
import { inflateRawSync } from "node:zlib";
import { UserError } from "../util/errors.js";

const MiB = 1024 * 1024;
/** The workbook file itself. */
export const MAX_XLSX_FILE = 100 * MiB;
/** Every .xml part of the workbook together, inflated (read-excel-file holds them all at once). */
export const MAX_XLSX_INFLATED = 256 * MiB;

/** What the size check learns on its way through the workbook's XML. */
export interface XlsxFacts {
  /** Characters read-excel-file decodes wrong (see noteAstralReferences), and what they are. */
  astral: Map<string, string>;
  /** The sheets' names in tab order (xl/workbook.xml). */
  sheets: string[];
}

/** The `name` of each `<sheet>` of xl/workbook.xml, in order, its XML escapes decoded. */
function sheetNames(xml: Buffer): string[] {
  const entities: Record<string, string> = { amp: "&", lt: "<", gt: ">", quot: '"', apos: "'" };
  return [...xml.toString("utf8").matchAll(/<(?:\w+:)?sheet\b[^>]*?\bname="([^"]*)"/g)].map((m) =>
    (m[1] ?? "").replace(/&(?:#(\d+)|#x([0-9a-f]+)|(\w+));/gi, (all, d, x, n) =>
      d
        ? String.fromCodePoint(Number(d))
        : x
          ? String.fromCodePoint(Number.parseInt(x, 16))
          : (entities[n] ?? all),
    ),
  );
}

/**
 * Refuses a workbook that would inflate past what vidbatch reads, before read-excel-file sees it:
 * that library inflates every part with no cap (a zip bomb of a few MB, a `sharedStrings.xml` of
 * gigabytes, ended Node with a V8 fatal error after half a minute at 3.9 GiB) and allocates the
 * sizes a zip declares up front. So this walks the zip's local entries in order, as the library's
 * streaming unzip does, and inflates each XML part with a hard output cap: the declared sizes are
 * checked but not trusted (the inflate itself stops at the cap).
 */
export async function assertXlsxSize(path: string): Promise<XlsxFacts> {
  const astral = new Map<string, string>();
  const sheets: string[] = [];
  const refuse = (why: string) =>
    new UserError(
      "INPUT_TOO_LARGE",
      `The workbook ${path} is too large to read safely: ${why}. Export the sheet as "CSV UTF-8" and run on that.`,
    );
  if ((await stat(path)).size > MAX_XLSX_FILE) throw refuse(`the file is over ${MAX_XLSX_FILE / MiB} MiB`);
  const zip = await readFile(path);
  let budget = MAX_XLSX_INFLATED;
  let at = 0;
  while (at + 30 <= zip.length && zip.readUInt32LE(at) === 0x04034b50) {
    const flags = zip.readUInt16LE(at + 6);
    const method = zip.readUInt16LE(at + 8);
    let csize = zip.readUInt32LE(at + 18);
    let usize = zip.readUInt32LE(at + 22);
    const nameEnd = at + 30 + zip.readUInt16LE(at + 26);
    const start = nameEnd + zip.readUInt16LE(at + 28);
    const name = zip.toString("utf8", at + 30, nameEnd);
    let zip64 = false;
    for (let e = nameEnd; e + 4 <= start; e += 4 + zip.readUInt16LE(e + 2)) {
      if (zip.readUInt16LE(e) !== 1) continue; // ZIP64 extra: the sizes that are 0xFFFFFFFF, 8 bytes each
      zip64 = true;
      let p = e + 4;
      if (usize === 0xffffffff && p + 8 <= start) {
        usize = Number(zip.readBigUInt64LE(p));
        p += 8;
      }
      if (csize === 0xffffffff && p + 8 <= start) csize = Number(zip.readBigUInt64LE(p));
    }
    const xml = name.endsWith(".xml") || name.endsWith(".xml.rels");
    const known = !(flags & 0x08) || csize > 0;
    if (xml && usize > budget) throw refuse(`${name} declares ${Math.round(usize / MiB)} MiB`);
    let used: number;
    if (method === 8 && (xml || !known)) {
      try {
        const out = inflateRawSync(zip.subarray(start, known ? start + csize : zip.length), {
          maxOutputLength: Math.max(1, budget),
          info: true,
        }) as unknown as { buffer: Buffer; engine: { bytesWritten: number } };
        if (xml) {
          budget -= out.buffer.length;
          noteAstralReferences(out.buffer, astral);
          if (name === "xl/workbook.xml") sheets.push(...sheetNames(out.buffer));
        }
        used = out.engine.bytesWritten;
      } catch (error) {
        if ((error as { code?: string }).code === "ERR_BUFFER_TOO_LARGE")
          throw refuse(`its XML inflates past ${MAX_XLSX_INFLATED / MiB} MiB`);
        return { astral, sheets }; // not inflatable: let read-excel-file report the broken zip in its own words
      }
    } else {
      if (!known) return { astral, sheets }; // a stored part of unknown length: read-excel-file reports it
      used = csize;
      if (xml) {
        budget -= csize;
        if (method === 0) noteAstralReferences(zip.subarray(start, start + csize), astral);
        if (method === 0 && name === "xl/workbook.xml")
          sheets.push(...sheetNames(zip.subarray(start, start + csize)));
      }
    }
    if (budget < 0) throw refuse(`its XML parts come to over ${MAX_XLSX_INFLATED / MiB} MiB`);
    at = start + used;
    if (flags & 0x08) at += (zip.readUInt32LE(at) === 0x08074b50 ? 4 : 0) + (zip64 ? 20 : 12);
  }
  return { astral, sheets };
}

/**
 * Character references past U+FFFF in the workbook's XML (`&#128512;`: openpyxl and pandas write
 * emoji so). read-excel-file decodes them with String.fromCharCode, which keeps the low 16 bits
 * only: an emoji arrives as a private-use character. Each such reference is noted here as
 * (what the library makes of it → the character it is), for the reader to put right.
 */
function noteAstralReferences(xml: Buffer, into: Map<string, string>): void {
  if (!xml.includes("&#")) return;
  for (const m of xml.toString("utf8").matchAll(/&#(?:(\d+)|x([0-9a-f]+));/gi)) {
    const code = m[1] !== undefined ? Number(m[1]) : Number.parseInt(m[2] ?? "", 16);
    if (code > 0xffff && code <= 0x10ffff) into.set(String.fromCharCode(code), String.fromCodePoint(code));
  }
}
