import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Database from "better-sqlite3";
import { parse } from "csv-parse/sync";

export function tempDir(t: { after: (fn: () => void) => void }): string {
  const dir = mkdtempSync(join(tmpdir(), "vidbatch-test-"));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

export function writeCsv(dir: string, name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

/** A CSV of `n` distinct text-to-video prompts (optionally with ids). */
export function promptsCsv(
  n: number,
  options: { ids?: boolean; extra?: (i: number) => string } = {},
): string {
  const lines = [options.ids ? "id,prompt" : "prompt"];
  for (let i = 1; i <= n; i++) {
    const prompt = `"Test prompt number ${i}, a calm lake${options.extra ? options.extra(i) : ""}"`;
    lines.push(options.ids ? `clip-${i},${prompt}` : prompt);
  }
  return `${lines.join("\n")}\n`;
}

export function readResults(path: string): Record<string, string>[] {
  return parse(readFileSync(path), { columns: true, bom: true, skip_empty_lines: true }) as Record<
    string,
    string
  >[];
}

/** Reads the ledger the way a user would with sqlite3: a separate, read-only connection. */
export function queryLedger<T>(path: string, sql: string, ...params: unknown[]): T[] {
  const db = new Database(path, { readonly: true, fileMustExist: true });
  try {
    return db.prepare(sql).all(...params) as T[];
  } finally {
    db.close();
  }
}

/** Waits (bounded) until `check` holds; for synchronising with a child process, not for timing. */
export async function waitFor(check: () => boolean, what: string, limitMs = 30_000): Promise<void> {
  const start = Date.now();
  while (!check()) {
    if (Date.now() - start > limitMs) throw new Error(`gave up waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** A one-number query on a ledger that may not exist yet or be mid-creation (0 then). */
export function ledgerCount(path: string, sql: string): number {
  if (!existsSync(path)) return 0;
  try {
    return queryLedger<{ n: number }>(path, sql)[0]?.n ?? 0;
  } catch {
    return 0; // the ledger is being created
  }
}

/** A CSV with a prompt column of `n` numbered prompts. */
export function numberedPrompts(n: number, label: string): string {
  return `prompt\n${Array.from({ length: n }, (_, i) => `${label} ${i + 1}`).join("\n")}\n`;
}

/** How many results rows have each of these statuses. */
export function statusCounts(rows: Record<string, string>[], ...statuses: string[]): number[] {
  return statuses.map((s) => rows.filter((r) => r.status === s).length);
}
