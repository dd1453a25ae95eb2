export { formatUsd } from "../util/format-usd.js";

export function formatDuration(ms: number): string {
  const s = Math.round(ms / 1000);
  if (s < 60) return `${s}s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m}m ${String(s % 60).padStart(2, "0")}s`;
  return `${Math.floor(m / 60)}h ${String(m % 60).padStart(2, "0")}m`;
}

const ORDER = ["succeeded", "running", "submitting", "pending", "failed", "invalid", "unknown"];

/** "10 succeeded, 2 running, 1 failed" in a fixed order, zero counts left out. */
export function formatCounts(counts: Record<string, number>): string {
  const parts = ORDER.filter((s) => (counts[s] ?? 0) > 0).map((s) => `${counts[s]} ${s}`);
  return parts.length > 0 ? parts.join(", ") : "no rows";
}

/** Dollars to four decimals, for JSON summaries. */
export function roundUsd4(usd: number): number {
  return Math.round(usd * 10_000) / 10_000;
}
