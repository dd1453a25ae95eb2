import { randomBytes } from "node:crypto";
import type Database from "better-sqlite3";

export function readMeta(db: Database.Database, key: string): string | undefined {
  const row = db.prepare("SELECT value FROM batch_meta WHERE key = ?").get(key) as
    | { value: string }
    | undefined;
  return row?.value;
}

export function writeMeta(db: Database.Database, key: string, value: string): void {
  db.prepare(
    "INSERT INTO batch_meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
  ).run(key, value);
}

/** The value stored under `key`, writing `value` first if there is none. */
export function ensureMeta(db: Database.Database, key: string, value: string): string {
  const existing = readMeta(db, key);
  if (existing !== undefined) return existing;
  writeMeta(db, key, value);
  return value;
}

/**
 * A random id for this ledger, part of every external task id, so that two batches on the same
 * provider account can never produce the same idempotency key.
 */
export function ensureBatchId(db: Database.Database): string {
  const existing = readMeta(db, "batch_id");
  if (existing) return existing;
  const id = randomBytes(6).toString("hex");
  writeMeta(db, "batch_id", id);
  return id;
}
