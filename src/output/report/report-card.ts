import { dirname, relative, sep } from "node:path";
import { framePathOf } from "../../frames/frame-cell.js";
import { idOfRowKey } from "../../input/row-key.js";
import type { JobSpec } from "../../job/job-spec.js";
import type { ResultRow } from "../../ledger/summary.js";
import { formatUsd } from "../../util/format-usd.js";
import { redactSecrets } from "../../util/redact.js";

/** The start and end frames of a row (a workflow's image input too), as the spec names them. */
function framesOf(spec: Partial<JobSpec>): string[] {
  const urls = [spec.imageUrl, spec.endImageUrl, ...Object.keys(spec.frames ?? {})];
  return [...new Set(urls.filter((u): u is string => Boolean(u)))];
}

/**
 * A local frame is shown from the file itself, by a path relative to the report, so the page works
 * offline and from file:// (and moves with the folder); a web address is linked as it is.
 */
function frameHref(url: string, reportPath: string): string {
  const path = framePathOf(url);
  return path ? relativeHref(reportPath, path) : url;
}

/** A file's address relative to the report, each part encoded ("#" and "?" in a name are not a fragment or a query). */
function relativeHref(reportPath: string, path: string): string {
  return relative(dirname(reportPath), path).split(sep).map(encodeURIComponent).join("/");
}

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/**
 * One row as a card: its video (loaded only when scrolled to, first frame as poster), id and line,
 * status, model, duration, cost to the cent, the prompt, the source image of an image-to-video row
 * and the error. Every provider or input text is escaped.
 */
export function reportCard(
  row: ResultRow,
  prompt: string,
  reportPath: string,
  secrets: readonly string[],
): string {
  const spec = row.spec_json ? (JSON.parse(row.spec_json) as Partial<JobSpec>) : {};
  const video = row.video_path ? relativeHref(reportPath, row.video_path) : "";
  const id = idOfRowKey(row.row_key) ?? "";
  const title = `${id ? `${id} · ` : ""}line ${row.line ?? row.row_index + 1}`;
  const facts = [
    spec.model,
    spec.duration ? `${spec.duration} s` : undefined,
    spec.mode,
    spec.sound ? "sound" : undefined,
    row.unpriced ? "price unknown" : formatUsd(row.cost_usd),
  ].filter((f): f is string => Boolean(f));
  const search = `${id} ${prompt}`.toLowerCase();
  const media = video
    ? `<video data-src="${escapeHtml(video)}" preload="none" controls muted loop playsinline></video>`
    : `<div class="none">${escapeHtml(row.status)}</div>`;
  const image = framesOf(spec)
    .map((url, i) => {
      const href = escapeHtml(frameHref(url, reportPath));
      const alt = i === 0 ? "source image" : "end frame";
      return `<a class="src" href="${href}"><img loading="lazy" alt="${alt}" src="${href}"></a>`;
    })
    .join("");
  const error = row.error ? `<p class="err">${escapeHtml(redactSecrets(row.error, secrets))}</p>` : "";
  return `<figure class="card ${escapeHtml(row.status)}" data-status="${escapeHtml(row.status)}" data-search="${escapeHtml(search)}">
${media}
<figcaption><div class="head"><b>${escapeHtml(title)}</b><span class="s">${escapeHtml(row.status)}</span></div>
<div class="facts">${facts.map(escapeHtml).join(" · ")}</div>
${image}<p class="prompt">${escapeHtml(prompt)}</p>${error}</figcaption>
</figure>`;
}
