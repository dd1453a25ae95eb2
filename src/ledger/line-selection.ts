import type Database from "better-sqlite3";

/**
 * What a `--rows` selection names that this run will not submit: lines past the input's last row,
 * and rows on the named lines that are not pending (done, failed, running…), so the user is told
 * rather than left wondering why nothing went. Empty when every named line is a pending row.
 */
export function explainLineSelection(
  db: Database.Database,
  lines: readonly (readonly [number, number])[],
): { missing: string[]; notPending: { line: number; status: string }[] } {
  const rows = db.prepare("SELECT line, status FROM jobs WHERE row_index IS NOT NULL").all() as {
    line: number;
    status: string;
  }[];
  const statusOf = new Map(rows.map((r) => [r.line, r.status]));
  const last = rows.reduce((max, r) => Math.max(max, r.line), 1);
  const missing: string[] = [];
  const notPending: { line: number; status: string }[] = [];
  for (const [from, to] of lines) {
    if (to > last)
      missing.push(from > last ? (from === to ? `${from}` : `${from}-${to}`) : `${last + 1}-${to}`);
    for (let line = from; line <= Math.min(to, last); line++) {
      const status = statusOf.get(line);
      if (status !== undefined && status !== "pending") notPending.push({ line, status });
    }
  }
  return { missing, notPending };
}
