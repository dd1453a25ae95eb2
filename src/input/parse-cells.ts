import { type AspectRatio, type Duration, type Mode, RESOLUTIONS, type Resolution } from "../job/job-spec.js";

export { parseBoolean } from "../job/parse-boolean.js";

/** Cell parsers: each returns the value, or undefined when the cell cannot mean anything valid. */

export function parseDuration(cell: string): Duration | undefined {
  const m = /^\s*(\d+(?:\.0+)?)\s*(s|sec|secs|seconds?)?\s*$/i.exec(cell);
  if (!m) return undefined;
  const n = Number(m[1]);
  return Number.isInteger(n) && n >= 1 && n <= 60 ? n : undefined;
}

export function parseAspectRatio(cell: string): AspectRatio | undefined {
  const m = /^\s*(\d+)\s*[:x×/]\s*(\d+)\s*$/i.exec(cell);
  if (!m) return undefined;
  const value = `${m[1]}:${m[2]}`;
  return value === "16:9" || value === "9:16" || value === "1:1" ? value : undefined;
}

export function parseResolution(cell: string): Resolution | undefined {
  const v = cell.trim().toLowerCase().replace(/\s+/g, "");
  if (v === "4k" || v === "2160p" || v === "2160") return "4k";
  const m = /^(\d{3,4})p?$/.exec(v);
  const value = m ? `${m[1]}p` : undefined;
  return (RESOLUTIONS as readonly string[]).includes(value ?? "") ? (value as Resolution) : undefined;
}

export function parseMode(cell: string): Mode | undefined {
  const v = cell.trim().toLowerCase();
  if (v === "std" || v === "standard" || v === "720p") return "std";
  if (v === "pro" || v === "professional" || v === "1080p") return "pro";
  return undefined;
}

export function truncate(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

/** A cfg_scale cell: a number from 0 to 1. */
export function parseCfgScale(cell: string): number | undefined {
  const text = cell.trim();
  if (!/^[+]?(\d+(\.\d*)?|\.\d+)$/.test(text)) return undefined;
  const n = Number(text);
  return n >= 0 && n <= 1 ? n : undefined;
}
