import { mkdir, rename, writeFile } from "node:fs/promises";
import { dirname } from "node:path";
import type Database from "better-sqlite3";
import { stringify } from "csv-stringify/sync";
import { idOfRowKey } from "../input/row-key.js";
import { listMarks } from "../ledger/mark-store.js";
import { neutralizeFormula } from "./spreadsheet-safe.js";

/** The review's marks as a CSV (id, line, mark, note), rows with a mark or a note, in input order. */
export async function writeMarksCsv(db: Database.Database, outPath: string): Promise<{ rows: number }> {
  const marks = listMarks(db);
  const csv = stringify(
    [
      ["id", "line", "mark", "note"],
      ...marks.map((m) => [
        neutralizeFormula(idOfRowKey(m.row_key) ?? ""),
        String(m.line),
        m.mark ?? "",
        neutralizeFormula(m.note),
      ]),
    ],
    { bom: true, record_delimiter: "\r\n" },
  );
  await mkdir(dirname(outPath), { recursive: true });
  const tmp = `${outPath}.${process.pid}.tmp`;
  await writeFile(tmp, csv);
  await rename(tmp, outPath);
  return { rows: marks.length };
}
