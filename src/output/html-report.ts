import { mkdir, rename, writeFile } from "node:fs/promises";
import { dirname } from "node:path";
import type Database from "better-sqlite3";
import { readMeta } from "../ledger/batch-meta.js";
import { countByStatus, iterateResults, readBatchSpan, readSpend } from "../ledger/summary.js";
import { formatUsd } from "../util/format-usd.js";
import { reportCard } from "./report/report-card.js";
import { reportPage } from "./report/report-page.js";

function span(first: string, last: string): string {
  const ms = Date.parse(last) - Date.parse(first);
  const m = Math.round(ms / 60_000);
  const length = m < 60 ? `${m} min` : `${Math.floor(m / 60)} h ${m % 60} min`;
  return `${first.slice(0, 16).replace("T", " ")} → ${last.slice(0, 16).replace("T", " ")} UTC (${length})`;
}

/**
 * A self-contained HTML gallery of the batch: totals at the top, filters by status, a search over
 * prompts, and one card per row (see report-card.ts). Videos are linked relatively, so the folder
 * can be zipped and shared; nothing is fetched from the network but the rows' own source images.
 */
export async function writeHtmlReport(
  db: Database.Database,
  outPath: string,
  secrets: readonly string[] = [],
  /** How the reader names settings in the texts (see util/setting-name.ts); default: by their names. */
  word: (text: string) => string = (text) => text,
): Promise<{ rows: number }> {
  const columns = JSON.parse(readMeta(db, "input_columns") ?? "[]") as string[];
  const promptIndex = columns.findIndex((c) => /^\s*prompts?\s*$/i.test(c));
  const cards: string[] = [];
  for (const row of iterateResults(db)) {
    const cells = JSON.parse(row.input_json) as string[];
    const specPrompt = row.spec_json ? (JSON.parse(row.spec_json) as { prompt?: string }).prompt : undefined;
    const prompt = specPrompt ?? (promptIndex >= 0 ? (cells[promptIndex] ?? "") : cells.join(" · "));
    cards.push(
      reportCard(row.error === null ? row : { ...row, error: word(row.error) }, prompt, outPath, secrets),
    );
  }
  const when = readBatchSpan(db);
  const html = reportPage(cards, {
    byStatus: countByStatus(db),
    spent: formatUsd(readSpend(db).totalUsd),
    ...(when ? { time: span(when.first, when.last) } : {}),
    generatedAt: `${new Date().toISOString().slice(0, 16).replace("T", " ")} UTC`,
  });
  await mkdir(dirname(outPath), { recursive: true });
  const tmp = `${outPath}.${process.pid}.tmp`;
  await writeFile(tmp, html);
  await rename(tmp, outPath);
  return { rows: cards.length };
}
