import type { PriceLine } from "../../plan/plan-rows.js";
import { formatUnitUsd, formatUsd } from "../format.js";

/**
 * The rows to submit by model, mode, duration and sound: count, unit price, subtotal, and where
 * each price comes from. An undocumented price reads "unknown", never $0.
 */
export function formatPriceLines(lines: readonly PriceLine[]): string[] {
  if (lines.length === 0) return [];
  const rows = lines.map((l) => [
    l.model,
    l.mode || "default",
    `${l.duration} s`,
    l.sound ? "sound" : "silent",
    String(l.count),
    l.unitUsd === undefined ? "unknown" : formatUnitUsd(l.unitUsd),
    l.unitUsd === undefined ? "unknown" : formatUsd(l.unitUsd * l.count),
    l.unitCredits === undefined ? "unknown" : (l.unitCredits * l.count).toLocaleString("en-US"),
  ]);
  const header = ["model", "mode", "duration", "sound", "rows", "each", "subtotal", "credits"];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] as string).length)));
  const pad = (cells: string[]) =>
    `  ${cells.map((c, i) => (i >= 4 ? c.padStart(widths[i] as number) : c.padEnd(widths[i] as number))).join("  ")}`;
  const sources = [...new Set(lines.map((l) => l.source))];
  return [pad(header), ...rows.map(pad), ...sources.map((s) => `  prices: ${s}`)];
}
