import { createReadStream } from "node:fs";
import { open, stat } from "node:fs/promises";
import { pipeline } from "node:stream";
import { parse } from "csv-parse";
import { UserError } from "../util/errors.js";
import { checkUtf8 } from "./check-utf8.js";
import { truncate } from "./parse-cells.js";

export type Delimiter = "," | ";" | "\t";

export interface CsvRecord {
  /** 1-based line number where the record starts (quoted cells may span lines). */
  line: number;
  cells: string[];
}

const SNIFF_BYTES = 64 * 1024;

/**
 * Picks the delimiter from the header line: the candidate that occurs most often outside quotes.
 * Commas win ties, since that is what a CSV means to most people.
 */
export function detectDelimiter(sample: string): Delimiter {
  const counts = { ",": 0, ";": 0, "\t": 0 };
  let inQuotes = false;
  for (const ch of sample.replace(/^\uFEFF/, "")) {
    if (ch === '"') inQuotes = !inQuotes;
    else if (!inQuotes && (ch === "\n" || ch === "\r")) break;
    else if (!inQuotes && (ch === "," || ch === ";" || ch === "\t")) counts[ch]++;
  }
  if (counts[";"] > counts[","] && counts[";"] >= counts["\t"]) return ";";
  if (counts["\t"] > counts[","] && counts["\t"] > counts[";"]) return "\t";
  return ",";
}

async function readSample(path: string): Promise<Buffer> {
  let handle: Awaited<ReturnType<typeof open>>;
  try {
    if ((await stat(path)).isDirectory()) throw Object.assign(new Error("folder"), { code: "EISDIR" });
    handle = await open(path, "r");
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const why =
      code === "ENOENT" ? "it does not exist" : code === "EISDIR" ? "it is a folder" : `${code ?? error}`;
    throw new UserError("INPUT_UNREADABLE", `Cannot read the input CSV ${path}: ${why}.`);
  }
  try {
    const buffer = Buffer.alloc(SNIFF_BYTES);
    const { bytesRead } = await handle.read(buffer, 0, SNIFF_BYTES, 0);
    return buffer.subarray(0, bytesRead);
  } finally {
    await handle.close();
  }
}

/**
 * Streams the records of a CSV file (header first), so that memory stays flat however many rows
 * there are. UTF-8 with or without BOM; comma, semicolon or tab; quoted multi-line cells; CRLF.
 */
export async function openCsv(
  path: string,
): Promise<{ delimiter: Delimiter; records: AsyncGenerator<CsvRecord> }> {
  const sample = await readSample(path);
  if (sample.length === 0 || sample.toString("utf8").trim() === "") {
    throw new UserError(
      "INPUT_EMPTY",
      `The input CSV ${path} is empty: it needs a header line with a "prompt" column and one row per video.`,
    );
  }
  if ((sample[0] === 0xff && sample[1] === 0xfe) || (sample[0] === 0xfe && sample[1] === 0xff)) {
    throw new UserError(
      "INPUT_ENCODING",
      `The input CSV ${path} is UTF-16 text. Save it as "CSV UTF-8" and run again.`,
    );
  }
  const nuls = sample.reduce((n, byte) => n + (byte === 0 ? 1 : 0), 0);
  if (nuls > sample.length / 20) {
    throw new UserError(
      "INPUT_ENCODING",
      `The input CSV ${path} is not UTF-8 text (it looks like UTF-16 or a binary file). Save it as "CSV UTF-8" and run again.`,
    );
  }
  const delimiter = detectDelimiter(sample.toString("utf8"));
  return { delimiter, records: iterateRecords(path, delimiter) };
}

async function* iterateRecords(path: string, delimiter: Delimiter): AsyncGenerator<CsvRecord> {
  // pipeline, not pipe: an error in any stage (a byte that is not UTF-8) reaches the reader below.
  const parser = pipeline(
    createReadStream(path),
    checkUtf8(path),
    parse({
      bom: true,
      delimiter,
      info: true,
      relax_column_count: true,
      relax_quotes: true,
      skip_empty_lines: true,
    }),
    () => undefined, // errors are read from the parser's iterator
  );
  // csv-parse's own line count treats a CRLF inside a quoted cell as two lines, so count here:
  // the lines every earlier record spanned, plus the empty lines the parser skipped.
  let linesBefore = 0;
  try {
    for await (const { record, info } of parser as AsyncIterable<{
      record: string[];
      info: { empty_lines: number };
    }>) {
      const line = 1 + linesBefore + info.empty_lines;
      linesBefore += 1 + record.reduce((n, cell) => n + (cell.match(/\n/g)?.length ?? 0), 0);
      if (record.length === 1 && (record[0] ?? "").trim() === "") continue; // a line of blanks only
      yield { line, cells: record };
    }
  } catch (error) {
    const e = error as Error & { code?: string; lines?: number };
    if (typeof e.code === "string" && e.code.startsWith("CSV_")) {
      throw new UserError(
        "INPUT_MALFORMED",
        `The input CSV ${path} cannot be parsed near line ${e.lines ?? "?"}: ${truncate(e.message.replace(/\s+/g, " "), 160)}. Fix the quoting there and run again; nothing was submitted.`,
      );
    }
    throw error;
  }
}
