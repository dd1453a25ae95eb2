import { pathToFileURL } from "node:url";
import type Database from "better-sqlite3";
import { findSourceCopy } from "../download/source-copy.js";
import { videoShape } from "../download/video-shape.js";
import { KNOWN_COLUMNS, normalizeHeader } from "../input/headers.js";
import { idOfRowKey } from "../input/row-key.js";
import type { JobSpec } from "../job/job-spec.js";
import { readMeta } from "../ledger/batch-meta.js";
import { type ReviewAttempt, type ReviewRow, readReviewRows } from "../ledger/review-rows.js";
import { formatUsd } from "../util/format-usd.js";
import { redactSecrets } from "../util/redact.js";

/** One attempt as the page shows it in a row's history. */
export interface CardAttempt {
  n: number;
  state: string;
  model: string;
  video: string | null;
  cost: string;
  submittedAt: string | null;
  finishedAt: string | null;
  seconds: number | null;
  error: string | null;
}

/** Everything a card shows, as plain data (the page renders it; every text is escaped there). */
export interface Card {
  key: string;
  id: string;
  line: number;
  status: string;
  prompt: string;
  model: string;
  duration: string;
  mode: string;
  sound: boolean;
  cost: string;
  /** Seconds between the latest attempt's submission and its end. */
  seconds: number | null;
  video: string | null;
  /** The picture's width and height: the video's own, else the aspect ratio asked for. */
  shape: [number, number];
  frames: { href: string; label: string }[];
  extras: [string, string][];
  error: string | null;
  mark: string | null;
  note: string;
  attempts: CardAttempt[];
}

/** Where the page finds a row's media: relative files (the report) or the review server's routes. */
export interface MediaLinks {
  video(row: ReviewRow, attempt: ReviewAttempt | undefined, path: string): string;
  frame(row: ReviewRow, index: number, url: string): string;
}

const KNOWN = new Set<string>(Object.values(KNOWN_COLUMNS).flat());

/** The sheet's own columns (notes, episode, …): not ones vidbatch reads, nor ones `--map` named. */
function extraColumns(db: Database.Database): { index: number; name: string }[] {
  const columns = JSON.parse(readMeta(db, "input_columns") ?? "[]") as string[];
  const mapped = new Set(
    (JSON.parse(readMeta(db, "input_mapping") ?? "[]") as string[]).map((pair) =>
      normalizeHeader(pair.slice(pair.indexOf("=") + 1)),
    ),
  );
  return columns
    .map((name, index) => ({ index, name }))
    .filter(({ name }) => !KNOWN.has(normalizeHeader(name)) && !mapped.has(normalizeHeader(name)));
}

function secondsBetween(from: string | null, to: string | null): number | null {
  if (!from || !to) return null;
  const ms = Date.parse(to) - Date.parse(from);
  return Number.isFinite(ms) && ms >= 0 ? Math.round(ms / 100) / 10 : null;
}

const copyUrl = (path: string | undefined) => (path ? pathToFileURL(path).href : undefined);

/** The copy of a web frame (0: source, 1: end) the run saved beside the row's video (download/source-copy). */
export function frameCopy(videoPath: string | null, url: string, index: number): string | undefined {
  if (!videoPath || !/^https?:/i.test(url) || index > 1) return undefined;
  return findSourceCopy(videoPath, index);
}

/** A row's frames as its spec names them: source image, end frame, a workflow's image inputs, once each. */
export function framesOf(spec: Partial<JobSpec>): string[] {
  return [spec.imageUrl, spec.endImageUrl, ...Object.keys(spec.frames ?? {})]
    .filter((u): u is string => Boolean(u))
    .filter((u, i, all) => all.indexOf(u) === i);
}

function aspectOf(spec: Partial<JobSpec>): [number, number] {
  const [w, h] = (spec.aspectRatio ?? "16:9").split(":").map(Number);
  return w && h ? [w, h] : [16, 9];
}

/**
 * The input's rows as cards (see Card), in input order; with `since`, only rows changed since then.
 * Provider and input texts are redacted of every secret; nothing here is HTML yet.
 */
export async function readCards(
  db: Database.Database,
  links: MediaLinks,
  options: { secrets: readonly string[]; word?: (text: string) => string; since?: string },
): Promise<Card[]> {
  const extras = extraColumns(db);
  const clean = (text: string | null) =>
    text === null ? null : redactSecrets(options.word ? options.word(text) : text, options.secrets);
  const rows = readReviewRows(db, options.since ? { since: options.since } : {});
  const cards: Card[] = [];
  for (const row of rows) {
    const spec = row.spec_json ? (JSON.parse(row.spec_json) as Partial<JobSpec>) : {};
    const cells = JSON.parse(row.input_json) as string[];
    const latest = row.attempts.at(-1);
    const shape = row.video_path ? await videoShape(row.video_path) : undefined;
    const current = row.attempts.find((a) => a.video_path === row.video_path);
    const frames = framesOf(spec);
    cards.push({
      key: row.row_key,
      id: idOfRowKey(row.row_key) ?? "",
      line: row.line,
      status: row.status,
      prompt: spec.prompt ?? cells.join(" · "),
      model: latest?.model ?? spec.model ?? "",
      duration: spec.duration ? `${spec.duration} s` : "",
      mode: spec.mode ?? "",
      sound: spec.sound === true,
      cost: row.unpriced ? "price unknown" : formatUsd(row.cost_usd),
      seconds: secondsBetween(latest?.submitted_at ?? null, latest?.finished_at ?? null),
      video: row.video_path ? links.video(row, current, row.video_path) : null,
      shape: shape ? [shape.width, shape.height] : aspectOf(spec),
      frames: frames.map((url, i) => ({
        href: links.frame(row, i, copyUrl(frameCopy(row.video_path, url, i)) ?? url),
        label: i === 0 ? "source image" : "end frame",
      })),
      extras: extras
        .map(({ index, name }): [string, string] => [name, cells[index] ?? ""])
        .filter(([, value]) => value.trim() !== ""),
      error: clean(row.error),
      mark: row.mark,
      note: row.note,
      attempts: row.attempts.map((a) => ({
        n: a.attempt,
        state: a.state,
        model: a.model,
        video: a.video_path ? links.video(row, a, a.video_path) : null,
        cost: formatUsd(a.cost_usd),
        submittedAt: a.submitted_at,
        finishedAt: a.finished_at,
        seconds: secondsBetween(a.submitted_at, a.finished_at),
        error: clean(a.error),
      })),
    });
  }
  return cards;
}
