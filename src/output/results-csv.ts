import { createWriteStream } from "node:fs";
import { mkdir, rename, rm } from "node:fs/promises";
import { dirname, relative, sep } from "node:path";
import { finished } from "node:stream/promises";
import type Database from "better-sqlite3";
import { stringify } from "csv-stringify";
import { RESULT_COLUMNS } from "../input/headers.js";
import { readMeta } from "../ledger/batch-meta.js";
import { iterateResults } from "../ledger/summary.js";
import { redactSecrets } from "../util/redact.js";
import { neutralizeFormula } from "./spreadsheet-safe.js";

/** What the results CSV shows for a ledger status: a row being submitted has no result yet. */
function shownStatus(status: string): string {
  return status === "submitting" ? "pending" : status;
}

/**
 * Writes the results CSV from the ledger: the input's columns in their order, then status, task_id,
 * video_path (relative to the CSV's folder), video_url, cost_usd, attempts, error; one line per
 * input row in input order. Written to a temporary file and renamed, so a reader (or a crash)
 * never sees half a file. A UTF-8 BOM makes Excel read non-ASCII prompts correctly.
 */
export async function writeResultsCsv(
  db: Database.Database,
  outPath: string,
  secrets: readonly string[] = [],
  /** How the reader names settings in the texts (see util/setting-name.ts); default: by their names. */
  word: (text: string) => string = (text) => text,
): Promise<{ rows: number }> {
  const columns = JSON.parse(readMeta(db, "input_columns") ?? "[]") as string[];
  await mkdir(dirname(outPath), { recursive: true });
  const tmpPath = `${outPath}.${process.pid}.tmp`;
  const file = createWriteStream(tmpPath);
  const csv = stringify({ bom: true, record_delimiter: "\r\n" });
  csv.pipe(file);
  const outDir = dirname(outPath);
  const safe = (text: string | null) => neutralizeFormula(redactSecrets(text ?? "", secrets));
  let rows = 0;
  try {
    const write = (record: string[]) =>
      csv.write(record) ? undefined : new Promise((r) => csv.once("drain", r));
    await write([...columns, ...RESULT_COLUMNS]);
    for (const row of iterateResults(db)) {
      const cells = JSON.parse(row.input_json) as string[];
      const videoPath = row.video_path ? relative(outDir, row.video_path).split(sep).join("/") : "";
      await write([
        ...columns.map((_, i) => cells[i] ?? ""),
        shownStatus(row.status),
        safe(row.task_id),
        videoPath,
        safe(row.video_url),
        row.unpriced ? "unknown" : row.cost_usd > 0 ? row.cost_usd.toFixed(4).replace(/0{1,2}$/, "") : "0",
        String(row.attempts),
        safe(row.error === null ? null : word(row.error)),
      ]);
      rows++;
    }
    csv.end();
    await finished(file);
    await rename(tmpPath, outPath);
  } catch (error) {
    csv.destroy();
    file.destroy();
    await rm(tmpPath, { force: true });
    throw error;
  }
  return { rows };
}
