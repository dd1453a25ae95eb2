/**
 * A subset of the input's rows for one run: at most `limit` pending rows, in input order, and only
 * those on `lines` (inclusive ranges of input line numbers; the header is line 1). The one
 * selection type: the engine submits by it, the summary estimates by it.
 */
export interface RowSelection {
  limit?: number;
  lines?: readonly (readonly [number, number])[];
}

/** True when the row on `line` is one `select` names (a row with no line is never chosen by lines). */
export function isSelectedLine(select: RowSelection | undefined, line: number | null): boolean {
  if (!select?.lines) return true;
  return line !== null && select.lines.some(([from, to]) => line >= from && line <= to);
}
