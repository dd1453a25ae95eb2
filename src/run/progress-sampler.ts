import type Database from "better-sqlite3";
import { countByStatus, readSpend } from "../ledger/summary.js";

export interface ProgressSample {
  counts: Record<string, number>;
  spentUsd: number;
  reservedUsd: number;
}

/**
 * The live line's figures from the ledger. They are read again only when reading them costs at
 * most a twentieth of the time since the last read (30 ms at 30,000 rows): the line is redrawn
 * often, the ledger is not scanned that often, and the engine shares this thread.
 */
export function createProgressSampler(db: Database.Database, minGapMs: number): () => ProgressSample {
  let sample: ProgressSample | undefined;
  let sampledAt = 0;
  let sampleCostMs = 0;
  return () => {
    const now = Date.now();
    if (!sample || now - sampledAt >= Math.max(minGapMs, sampleCostMs * 20)) {
      const spend = readSpend(db);
      sample = {
        counts: countByStatus(db),
        spentUsd: spend.totalUsd - spend.estimatedUsd,
        reservedUsd: spend.estimatedUsd,
      };
      sampleCostMs = Date.now() - now;
      sampledAt = Date.now();
    }
    return sample;
  };
}
