import type Database from "better-sqlite3";
import { nowIso } from "../util/time.js";

/** Samples kept per kind of job: the most recent (a model's speed drifts over days). */
const KEEP = 200;

/**
 * Generation times the polling learned (table generation_times), so that the next run on this
 * ledger schedules its first checks from them instead of learning again.
 */
export function createGenerationTimeStore(db: Database.Database) {
  const insert = db.prepare("INSERT INTO generation_times (kind, ms, finished_at) VALUES (?, ?, ?)");
  const recent = db.prepare(`SELECT kind, ms FROM (SELECT kind, ms, id,
      ROW_NUMBER() OVER (PARTITION BY kind ORDER BY id DESC) AS n FROM generation_times) WHERE n <= ?
    ORDER BY kind, id`);
  const prune = db.prepare(`DELETE FROM generation_times WHERE id IN (SELECT id FROM (SELECT id,
      ROW_NUMBER() OVER (PARTITION BY kind ORDER BY id DESC) AS n FROM generation_times) WHERE n > ?)`);
  return {
    /** Each kind's most recent times, oldest first (older ones are dropped from the ledger here). */
    load(): [string, number[]][] {
      prune.run(KEEP);
      const byKind = new Map<string, number[]>();
      for (const row of recent.all(KEEP) as { kind: string; ms: number }[]) {
        const list = byKind.get(row.kind) ?? [];
        list.push(row.ms);
        byKind.set(row.kind, list);
      }
      return [...byKind];
    },
    record: (kind: string, ms: number) => void insert.run(kind, Math.round(ms), nowIso()),
  };
}

export type GenerationTimeStore = ReturnType<typeof createGenerationTimeStore>;
