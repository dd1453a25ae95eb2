import { createWriteStream } from "node:fs";
import { mkdir, rename, rm } from "node:fs/promises";
import { dirname, relative, sep } from "node:path";
import { finished } from "node:stream/promises";
import type Database from "better-sqlite3";
import { stringify } from "csv-stringify";
import { normalizeHeader, RESULT_COLUMNS } from "../input/headers.js";
import { readMeta } from "../ledger/batch-meta.js";
import { listMarks } from "../ledger/mark-store.js";
import { iterateResults } from "../ledger/summary.js";
import { redactSecrets } from "../util/redact.js";
import { neutralizeFormula } from "./spreadsheet-safe.js";

/** What the results CSV shows for a ledger status: a row being submitted has no result yet. */
function shownStatus(status: string): string {
  return status === "submitting" ? "pending" : status;
}

/** Seconds from submission to the end of generation, to the tenth (GNU parallel's joblog runtime). */
function generationSeconds(from: string | null, to: string | null): string {
  if (!from || !to) return "";
  const ms = Date.parse(to) - Date.parse(from);
  return Number.isFinite(ms) && ms >= 0 ? (Math.round(ms / 100) / 10).toFixed(1) : "";
}

/**
 * Writes the results CSV from the ledger: the input's columns in their order, then status, task_id,
 * video_path (relative to the CSV's folder), video_url, cost_usd, attempts, error, model (or
 * model_used), and the latest attempt's submitted_at, finished_at (ISO 8601, UTC) and
 * generation_seconds; one line per
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
    // The model each row ran on: `model`, or `model_used` beside an input's own model column.
    const modelColumn = columns.some((c) => normalizeHeader(c) === "model") ? "model_used" : "model";
    const joblog = ["submitted_at", "finished_at", "generation_seconds"];
    const head = RESULT_COLUMNS.slice(0, RESULT_COLUMNS.indexOf("model_used"));
    // A reviewed batch: each row's mark and note (vidbatch review).
    const marks = new Map(listMarks(db).map((m) => [m.row_key, m]));
    await write([
      ...columns,
      ...head,
      modelColumn,
      ...joblog,
      ...(marks.size > 0 ? ["review_mark", "review_note"] : []),
    ]);
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
        safe(row.model),
        row.submitted_at ?? "",
        row.finished_at ?? "",
        generationSeconds(row.submitted_at, row.finished_at),
        ...(marks.size > 0
          ? [marks.get(row.row_key)?.mark ?? "", neutralizeFormula(marks.get(row.row_key)?.note ?? "")]
          : []),
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
