/** ISO timestamps for the ledger: readable in any SQLite shell and sortable as text. */
export function nowIso(): string {
  return new Date().toISOString();
}
