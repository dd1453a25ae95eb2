import type { InputBinding } from "../input/bind-inputs.js";
import {
  FIELD_COLUMNS,
  type HeaderMap,
  KNOWN_COLUMNS,
  type KnownColumn,
  normalizeHeader,
} from "../input/headers.js";
import { cellOf } from "../input/validate-row.js";
import type { Provider } from "../providers/provider.js";

export interface UnsupportedCounter {
  /** The known columns the provider does not honour (and that feed none of its named inputs). */
  columns: readonly KnownColumn[];
  /** How many rows fill each of them, in the order first seen. */
  counts: Map<KnownColumn, number>;
}

/**
 * The columns a filled cell of which deserves a warning: the provider's unsupported fields, less
 * those whose column feeds one of its named inputs (a Wireflow workflow may read `duration`).
 */
export function createUnsupportedCounter(
  provider: Provider,
  bindings: readonly InputBinding[],
): UnsupportedCounter {
  const bound = new Set(bindings.map((b) => normalizeHeader(b.column)));
  const columns = provider.unsupportedFields
    .map((field) => FIELD_COLUMNS[field])
    .filter((column) => !KNOWN_COLUMNS[column].some((alias) => bound.has(alias)));
  return { columns, counts: new Map() };
}

export function countUnsupportedCells(counter: UnsupportedCounter, cells: string[], map: HeaderMap): void {
  for (const column of counter.columns) {
    if (cellOf(cells, map, column) !== "") counter.counts.set(column, (counter.counts.get(column) ?? 0) + 1);
  }
}
