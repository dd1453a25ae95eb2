import readXlsxFile, { readSheet, SheetNotFoundError } from "read-excel-file/node";
import { UserError } from "../util/errors.js";
import { setting } from "../util/setting-name.js";
import type { CsvRecord } from "./read-csv.js";
import { assertXlsxSize } from "./xlsx-guard.js";

/**
 * A cell as the user sees it in the spreadsheet: dates as dates, a time of day (a time cell is a
 * date on Excel's day zero, 1899-12-30 or -31) as the time alone ("14:30"), TRUE/FALSE, numbers as
 * written; `astral` puts back characters past U+FFFF that the library decoded wrong.
 */
function cellText(value: unknown, astral: Map<string, string>): string {
  if (value === null || value === undefined) return "";
  if (value instanceof Date) {
    const iso = value.toISOString();
    if (/^1899-12-(30|31)T/.test(iso))
      return iso.endsWith(":00.000Z") ? iso.slice(11, 16) : iso.slice(11, 19);
    return iso.endsWith("T00:00:00.000Z") ? iso.slice(0, 10) : iso.slice(0, 19).replace("T", " ");
  }
  if (typeof value === "string" && astral.size > 0) return [...value].map((c) => astral.get(c) ?? c).join("");
  if (typeof value === "boolean") return value ? "TRUE" : "FALSE";
  if (typeof value === "number")
    return Number.isInteger(value) ? String(value) : String(Number(value.toPrecision(15)));
  return String(value);
}

/**
 * The records of one sheet of an .xlsx workbook (the first, or `sheet` by name), header first;
 * `line` is the sheet's own row number, as the user sees it in Excel. Multi-line and unicode
 * cells are kept as they are.
 */
export async function openXlsx(
  path: string,
  sheet?: string,
): Promise<{ records: AsyncGenerator<CsvRecord>; sheets?: { read: string; all: string[] } }> {
  const { astral, sheets: names } = await assertXlsxSize(path);
  let rows: unknown[][];
  try {
    rows = (await readSheet(path, sheet ?? 1)) as unknown[][];
  } catch (error) {
    if (error instanceof SheetNotFoundError || /sheet/i.test(String((error as Error).message))) {
      const names = (await readXlsxFile(path).catch(() => [])).map((s) => `"${s.sheet}"`).join(", ");
      throw new UserError(
        "INPUT_UNREADABLE",
        `The workbook ${path} has no sheet "${sheet}"${names ? ` (its sheets: ${names})` : ""}. Name one with ${setting("sheet")}.`,
      );
    }
    throw new UserError(
      "INPUT_UNREADABLE",
      `Cannot read the workbook ${path}: ${(error as Error).message}. Save it again from Excel, or export the sheet as "CSV UTF-8".`,
    );
  }
  async function* records(): AsyncGenerator<CsvRecord> {
    for (const [i, row] of rows.entries()) {
      const cells = row.map((value) => cellText(value, astral));
      if (i > 0 && cells.every((c) => c.trim() === "")) continue; // an empty row between rows
      yield { line: i + 1, cells };
    }
  }
  // Which sheet was read, of which: a batch on a later sheet is named in the error that follows.
  const several = sheet === undefined && names.length > 1;
  return { records: records(), ...(several ? { sheets: { read: names[0] as string, all: names } } : {}) };
}
