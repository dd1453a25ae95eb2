import readXlsxFile, { readSheet, SheetNotFoundError } from "read-excel-file/node";
import { UserError } from "../util/errors.js";
import { setting } from "../util/setting-name.js";
import type { CsvRecord } from "./read-csv.js";
import { assertXlsxSize } from "./xlsx-guard.js";

/** A cell as the user sees it in the spreadsheet: dates as dates, TRUE/FALSE, numbers as written. */
function cellText(value: unknown): string {
  if (value === null || value === undefined) return "";
  if (value instanceof Date) {
    const iso = value.toISOString();
    return iso.endsWith("T00:00:00.000Z") ? iso.slice(0, 10) : iso.slice(0, 19).replace("T", " ");
  }
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
): Promise<{ records: AsyncGenerator<CsvRecord> }> {
  await assertXlsxSize(path);
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
      const cells = row.map(cellText);
      if (i > 0 && cells.every((c) => c.trim() === "")) continue; // an empty row between rows
      yield { line: i + 1, cells };
    }
  }
  return { records: records() };
}
