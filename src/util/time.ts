let lastMs = Number.NaN;
let lastIso = "";

/**
 * ISO timestamps for the ledger: readable in any SQLite shell and sortable as text. Formatted once
 * per millisecond (planning 100,000 rows asks for one per row).
 */
export function nowIso(): string {
  const ms = Date.now();
  if (ms !== lastMs) {
    lastMs = ms;
    lastIso = new Date(ms).toISOString();
  }
  return lastIso;
}
