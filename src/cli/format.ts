import { JOB_STATUSES } from "../ledger/types.js";

export { formatUnitUsd, formatUsd, roundUsd4 } from "../util/format-usd.js";

export function formatDuration(ms: number): string {
  const s = Math.round(ms / 1000);
  if (s < 60) return `${s}s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m}m ${String(s % 60).padStart(2, "0")}s`;
  return `${Math.floor(m / 60)}h ${String(m % 60).padStart(2, "0")}m`;
}

/** "10 succeeded, 2 running, 1 failed" in the statuses' order, zero counts left out. */
export function formatCounts(counts: Record<string, number>): string {
  const parts = JOB_STATUSES.filter((s) => (counts[s] ?? 0) > 0).map((s) => `${counts[s]} ${s}`);
  return parts.length > 0 ? parts.join(", ") : "no rows";
}
