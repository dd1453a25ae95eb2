import { open } from "node:fs/promises";
import { UserError } from "../util/errors.js";
import { setting } from "../util/setting-name.js";
import { type CsvRecord, type Delimiter, openCsv } from "./read-csv.js";
import { openXlsx } from "./read-xlsx.js";

/** What the file is, from its first bytes (not its name). */
async function sniff(path: string): Promise<"xlsx" | "xls" | "other"> {
  let handle: Awaited<ReturnType<typeof open>> | undefined;
  try {
    handle = await open(path, "r");
    const head = Buffer.alloc(8);
    await handle.read(head, 0, 8, 0);
    if (head.subarray(0, 4).equals(Buffer.from([0x50, 0x4b, 0x03, 0x04]))) return "xlsx";
    if (head.equals(Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]))) return "xls";
    return "other";
  } catch {
    return "other"; // openCsv says why it cannot be read
  } finally {
    await handle?.close();
  }
}

/**
 * The input's records, header first: an .xlsx workbook (its first sheet, or `sheet`) or a CSV file,
 * told apart by their content, so a workbook saved with a .csv name is still read right.
 */
export async function openInput(
  path: string,
  sheet?: string,
): Promise<{
  delimiter: Delimiter;
  records: AsyncGenerator<CsvRecord>;
  /** A workbook of several sheets read at its first: that sheet's name, and all of them. */
  sheets?: { read: string; all: string[] };
}> {
  const kind = await sniff(path);
  if (kind === "xls")
    throw new UserError(
      "INPUT_UNREADABLE",
      `The input ${path} is an old Excel 97–2003 workbook (.xls). Save it as .xlsx or as "CSV UTF-8" and run again.`,
    );
  if (kind === "xlsx") return { delimiter: ",", ...(await openXlsx(path, sheet)) };
  if (sheet !== undefined)
    throw new UserError("USAGE", `${setting("sheet")} applies to .xlsx workbooks; ${path} is not one.`);
  return openCsv(path);
}

/**
 * Reads the input's header and nothing more, so that a missing, empty, binary or unreadable input
 * is refused before anything (a ledger, a folder) is created for it.
 */
export async function probeInput(path: string, sheet?: string): Promise<void> {
  const { records } = await openInput(path, sheet);
  try {
    const first = await records.next();
    if (first.done) throw new UserError("INPUT_EMPTY", `The input ${path} is empty.`);
  } finally {
    await records.return(undefined);
  }
}
