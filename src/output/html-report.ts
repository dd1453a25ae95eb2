import { mkdir, rename, writeFile } from "node:fs/promises";
import { dirname, relative, sep } from "node:path";
import type Database from "better-sqlite3";
import { readMeta } from "../ledger/batch-meta.js";
import { iterateResults, readSpend } from "../ledger/summary.js";
import { redactSecrets } from "../util/redact.js";

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/**
 * A static HTML gallery of the batch: one card per row with its video (relative link, so the
 * folder can be zipped and shared), prompt, status, cost and error. Everything is escaped; no
 * script, no external resource.
 */
export async function writeHtmlReport(
  db: Database.Database,
  outPath: string,
  secrets: readonly string[] = [],
): Promise<{ rows: number }> {
  const columns = JSON.parse(readMeta(db, "input_columns") ?? "[]") as string[];
  const promptIndex = columns.findIndex((c) => /^\s*prompts?\s*$/i.test(c));
  const cards: string[] = [];
  for (const row of iterateResults(db)) {
    const cells = JSON.parse(row.input_json) as string[];
    const prompt = promptIndex >= 0 ? (cells[promptIndex] ?? "") : cells.join(" · ");
    const video = row.video_path ? relative(dirname(outPath), row.video_path).split(sep).join("/") : "";
    cards.push(`<figure class="${escapeHtml(row.status)}">
  ${video ? `<video src="${escapeHtml(encodeURI(video))}" controls preload="metadata" muted loop></video>` : `<div class="none">${escapeHtml(row.status)}</div>`}
  <figcaption><b>#${row.row_index}</b> <span class="s">${escapeHtml(row.status)}</span> <span>$${row.cost_usd.toFixed(3)}</span>
  <p>${escapeHtml(prompt)}</p>${row.error ? `<p class="err">${escapeHtml(redactSecrets(row.error, secrets))}</p>` : ""}</figcaption>
</figure>`);
  }
  const spend = readSpend(db);
  const html = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>vidbatch report</title>
<style>
body{font:14px system-ui,sans-serif;margin:1.5rem;background:#fafafa;color:#222}
main{display:grid;grid-template-columns:repeat(auto-fill,minmax(260px,1fr));gap:1rem}
figure{margin:0;background:#fff;border:1px solid #ddd;border-radius:8px;overflow:hidden}
video,.none{width:100%;aspect-ratio:16/9;background:#111;display:block}
.none{color:#bbb;display:flex;align-items:center;justify-content:center}
figcaption{padding:.5rem .75rem}.s{text-transform:uppercase;font-size:11px}
.failed .s,.invalid .s,.err{color:#b00020}.succeeded .s{color:#0a7d32}p{margin:.35rem 0;white-space:pre-wrap}
</style></head><body>
<h1>vidbatch report</h1><p>${cards.length} rows · spent $${spend.totalUsd.toFixed(2)}</p>
<main>
${cards.join("\n")}
</main></body></html>
`;
  await mkdir(dirname(outPath), { recursive: true });
  const tmp = `${outPath}.${process.pid}.tmp`;
  await writeFile(tmp, html);
  await rename(tmp, outPath);
  return { rows: cards.length };
}
