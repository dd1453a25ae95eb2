import { JOB_STATUSES } from "../ledger/types.js";
import { PAGE_SCRIPT } from "./page-script.js";
import { PAGE_STYLE } from "./page-style.js";
import type { Card } from "./review-cards.js";

/** What the page is given: its cards and the batch's figures. */
export interface PageData {
  /** The batch's name (its input file's), in the title and the marks export's file name. */
  name: string;
  cards: Card[];
  spent: string;
  time?: string;
  written: string;
  /** The review page saves marks and polls for changes; the static report does neither. */
  live: boolean;
  /** The command that submits the rows marked Redo. */
  redoCommand: string;
  /** The live page's clock for asking what changed (see review-rows' readLatestChange). */
  cursor?: string;
}

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** JSON inside a <script> element: nothing in it can close the element or open a comment. */
function scriptJson(value: unknown): string {
  return JSON.stringify(value)
    .replace(/</g, "\\u003c")
    .replace(/\u2028/g, "\\u2028")
    .replace(/\u2029/g, "\\u2029");
}

const HELP = `Keys: <kbd>→</kbd>/<kbd>n</kbd> next · <kbd>←</kbd>/<kbd>p</kbd> previous · <kbd>k</kbd> keep · <kbd>r</kbd> redo · <kbd>u</kbd> clear the mark · <kbd>e</kbd> note · <kbd>space</kbd> play · <kbd>?</kbd> this help`;

/**
 * The gallery page: header with totals, filters (status, mark, search) and tools (export the marks,
 * the redo command), then the cards, rendered by the page's script from the data embedded in it.
 * `nonce` lets the review server's Content-Security-Policy allow this page's own style and script.
 */
export function reviewPage(data: PageData, nonce?: string): string {
  const n = nonce ? ` nonce="${escapeHtml(nonce)}"` : "";
  const kind = data.live ? "review" : "report";
  const statuses = [
    `<button data-status="all" aria-pressed="true">all</button>`,
    ...JOB_STATUSES.map((s) => `<button data-status="${s}" aria-pressed="false">${s}</button>`),
  ].join("");
  const marks = ["keep", "redo", "none"]
    .map((m) => `<button data-filter-mark="${m}" aria-pressed="false">${m}</button>`)
    .join("");
  const redo = data.live
    ? `<span id="redo-count"></span> · then <code id="redo-cmd">${escapeHtml(data.redoCommand)}</code><button id="copy-redo" type="button">Copy the redo command</button>`
    : `<span id="redo-count"></span> · mark rows in <code>vidbatch review</code>, then <code id="redo-cmd">${escapeHtml(data.redoCommand)}</code>`;
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(data.name)} · vidbatch ${kind}</title><style${n}>${PAGE_STYLE}</style></head><body>
<header><h1>${escapeHtml(data.name)} <small>· vidbatch ${kind}</small></h1>
<p class="totals"></p>
<div class="filters">${statuses}<span class="sep"></span>${marks}<input id="q" type="search" placeholder="Search prompts, ids, errors, notes, columns" aria-label="Search"><span id="shown"></span></div>
<div class="tools">${redo}<button id="export" type="button">Export marks (CSV)</button><span id="live"></span><span id="problem" role="status"></span></div>
<p id="help"${data.live ? "" : " hidden"}>${HELP}</p>
</header>
<main></main>
<script type="application/json" id="data">${scriptJson({ ...data, statuses: JOB_STATUSES })}</script>
<script${n}>${PAGE_SCRIPT}</script>
</body></html>
`;
}
