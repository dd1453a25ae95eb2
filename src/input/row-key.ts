import { createHash } from "node:crypto";
import { GENERATION_COLUMNS, type HeaderMap, LATER_GENERATION_COLUMNS } from "./headers.js";
import { cellOf } from "./validate-row.js";

/**
 * A row's stable identity in the ledger. With an `id` column it is that id, so a row keeps its
 * results when its prompt is edited. Without one it is a hash of what the row asks for, so rows can
 * be reordered, inserted or appended between runs and each finished row is still recognised;
 * identical rows are told apart by occurrence (the second copy is a second video). Without extra
 * input columns the key is the same as it always was, so existing ledgers keep resuming.
 */
export function computeRowKey(
  cells: string[],
  map: HeaderMap,
  occurrences: Map<string, number>,
  inputColumns: readonly number[] = [],
): { key: string; id?: string } {
  const id = cellOf(cells, map, "id");
  if (id !== "") return { key: `id:${id}`, id };
  // Columns a provider reads besides the known ones (workflow inputs) are part of what a row asks for.
  const extra = inputColumns.map((i) => `\u001e${(cells[i] ?? "").trim()}`).join("");
  const later = LATER_GENERATION_COLUMNS.map((c) => [c, cellOf(cells, map, c)] as const)
    .filter(([, value]) => value !== "")
    .map(([c, value]) => `\u001d${c}=${value}`)
    .join("");
  const content = GENERATION_COLUMNS.map((c) => cellOf(cells, map, c)).join("\u001f") + extra + later;
  const hash = createHash("sha256").update(content).digest("hex").slice(0, 24);
  const n = (occurrences.get(hash) ?? 0) + 1;
  occurrences.set(hash, n);
  return { key: n === 1 ? `h:${hash}` : `h:${hash}#${n}` };
}

/** The user's own id of a row, read back from its key (undefined for a row keyed by its content). */
export function idOfRowKey(key: string): string | undefined {
  return key.startsWith("id:") ? key.slice(3) : undefined;
}
