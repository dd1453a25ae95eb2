import type Database from "better-sqlite3";
import { nowIso } from "../util/time.js";

/** A local frame as uploaded to one provider account. */
export interface UploadRecord {
  url: string;
  uploadedAt: string;
}

export interface NewUpload {
  sha256: string;
  provider: string;
  url: string;
  bytes: number;
  fileName: string;
  sourcePath: string;
}

/**
 * The ledger's uploads (migration 5): one per file content per account, so each distinct frame is
 * uploaded once and its URL reused by every row, resume and appended row that names it.
 */
export function createUploadStore(db: Database.Database, account: string) {
  const find = db.prepare("SELECT url, uploaded_at FROM uploads WHERE account = ? AND sha256 = ?");
  const upsert = db.prepare(`
    INSERT INTO uploads (account, sha256, provider, url, bytes, file_name, source_path, uploaded_at)
    VALUES (@account, @sha256, @provider, @url, @bytes, @fileName, @sourcePath, @now)
    ON CONFLICT (account, sha256) DO UPDATE SET url = excluded.url, uploaded_at = excluded.uploaded_at,
      source_path = excluded.source_path, uploads = uploads + 1`);
  return {
    find(sha256: string): UploadRecord | undefined {
      const row = find.get(account, sha256) as { url: string; uploaded_at: string } | undefined;
      return row ? { url: row.url, uploadedAt: row.uploaded_at } : undefined;
    },
    record(upload: NewUpload): void {
      upsert.run({ ...upload, account, now: nowIso() });
    },
  };
}

export type UploadStore = ReturnType<typeof createUploadStore>;
