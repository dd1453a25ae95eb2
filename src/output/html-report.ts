import { mkdir, rename, writeFile } from "node:fs/promises";
import { basename, dirname, extname, relative, sep } from "node:path";
import type Database from "better-sqlite3";
import { framePathOf } from "../frames/frame-cell.js";
import { readMeta } from "../ledger/batch-meta.js";
import { readBatchSpan, readSpend } from "../ledger/summary.js";
import { redoCommand } from "../review/redo-command.js";
import { readCards } from "../review/review-cards.js";
import { reviewPage } from "../review/review-page.js";
import { formatUsd } from "../util/format-usd.js";

function span(first: string, last: string): string {
  const ms = Date.parse(last) - Date.parse(first);
  const m = Math.round(ms / 60_000);
  const length = m < 60 ? `${m} min` : `${Math.floor(m / 60)} h ${m % 60} min`;
  return `${first.slice(0, 16).replace("T", " ")} → ${last.slice(0, 16).replace("T", " ")} UTC (${length})`;
}

/** A file's address relative to the report, each part encoded ("#" and "?" in a name are not a fragment or a query). */
function relativeHref(reportPath: string, path: string): string {
  return relative(dirname(reportPath), path).split(sep).map(encodeURIComponent).join("/");
}

/** The batch's name: its input file's, else the ledger's. */
export function batchName(db: Database.Database, fallback: string): string {
  const input = readMeta(db, "input_path");
  const from = input && !/^https?:/i.test(input) ? input : fallback;
  return basename(from, extname(from)).replace(/\.ledger$/i, "") || "batch";
}

/** The batch's figures above the cards: spend, when it ran, when this was written (all UTC). */
export function batchFigures(db: Database.Database): { spent: string; time?: string; written: string } {
  const when = readBatchSpan(db);
  return {
    spent: formatUsd(readSpend(db).totalUsd),
    ...(when ? { time: span(when.first, when.last) } : {}),
    written: `written ${new Date().toISOString().slice(0, 16).replace("T", " ")} UTC`,
  };
}

/**
 * A self-contained HTML gallery of the batch (the review page without its server): totals, filters
 * by status and mark, a search, and one card per row with its video shaped by the clip's own
 * aspect ratio. Videos and local frames are linked relatively, so the page works from file:// and
 * the folder can be zipped and shared; written to a temporary file and renamed.
 */
export async function writeHtmlReport(
  db: Database.Database,
  outPath: string,
  secrets: readonly string[] = [],
  /** How the reader names settings in the texts (see util/setting-name.ts); default: by their names. */
  word: (text: string) => string = (text) => text,
  /** The ledger's path, for the redo command the page shows. */
  ledgerPath?: string,
): Promise<{ rows: number }> {
  const cards = await readCards(
    db,
    {
      video: (_row, _attempt, path) => relativeHref(outPath, path),
      frame: (_row, _i, url) => {
        const path = framePathOf(url);
        return path ? relativeHref(outPath, path) : url;
      },
    },
    { secrets, word },
  );
  const html = reviewPage({
    name: batchName(db, ledgerPath ?? outPath),
    cards,
    ...batchFigures(db),
    live: false,
    // Paths as seen from the report's folder, where its reader most likely runs vidbatch.
    redoCommand: redoCommand(db, ledgerPath, dirname(outPath)),
  });
  await mkdir(dirname(outPath), { recursive: true });
  const tmp = `${outPath}.${process.pid}.tmp`;
  await writeFile(tmp, html);
  await rename(tmp, outPath);
  return { rows: cards.length };
}
