import type Database from "better-sqlite3";
import { writeResultsCsv } from "../output/results-csv.js";
import type { Logger } from "../util/logger.js";

/** A refresh may take at most this share of the time between two refreshes (it shares the thread). */
const MAX_SHARE = 0.05;

/**
 * Rewrites the results CSV while a run goes on, one write at a time, so that a user can open it
 * mid-run and a crash still leaves a recent one. The gap between writes grows with the file: at
 * least `everyMs`, and at least twenty times what the last write cost (a 100,000-row file takes
 * about 1.5 s to write, so it is rewritten every 30 s or so, never more than 5% of the run's time).
 */
export function createResultsRefresher(
  db: Database.Database,
  outPath: string,
  secrets: readonly string[],
  log: Logger,
  word?: (text: string) => string,
  everyMs = 5000,
) {
  return createRefresher(() => writeResultsCsv(db, outPath, secrets, word), outPath, log, everyMs);
}

/**
 * Rewrites a file the run keeps (the results CSV, the report) while the run goes on, one write at
 * a time and never on the submission path: at least `everyMs` apart, and at least twenty times
 * what the last write cost.
 */
export function createRefresher(
  writeFile: () => Promise<unknown>,
  outPath: string,
  log: Logger,
  everyMs: number,
) {
  let dirty = false;
  let writing: Promise<void> | undefined;
  let timer: NodeJS.Timeout | undefined;
  const stats = { writes: 0, totalMs: 0, lastMs: 0, gapMs: everyMs };

  const write = async () => {
    dirty = false;
    const started = performance.now();
    try {
      await writeFile();
    } catch (error) {
      log.warn(`could not refresh ${outPath}: ${(error as Error).message}`);
    }
    const lastCostMs = performance.now() - started;
    stats.writes++;
    stats.totalMs += lastCostMs;
    stats.lastMs = lastCostMs;
    stats.gapMs = Math.max(everyMs, lastCostMs / MAX_SHARE);
  };

  const schedule = () => {
    if (timer || writing || !dirty) return;
    timer = setTimeout(() => {
      timer = undefined;
      writing = write().finally(() => {
        writing = undefined;
        schedule(); // changes that came in during the write
      });
    }, stats.gapMs);
    timer.unref();
  };

  return {
    /** Refreshes so far, what they cost, and the gap now used (for benchmarks and --verbose). */
    stats: () => ({ ...stats }),
    /** Stops any scheduled write (the ledger is about to close); a write under way finishes alone. */
    cancel() {
      dirty = false;
      if (timer) clearTimeout(timer);
      timer = undefined;
    },
    markChanged() {
      dirty = true;
      schedule();
    },
    /** Stops scheduling and waits for a write under way (the final one is written elsewhere). */
    async settle() {
      dirty = false;
      if (timer) clearTimeout(timer);
      timer = undefined;
      await writing;
    },
    /** Final write: waits for any write under way, then writes once more. */
    async flush() {
      dirty = false;
      if (timer) clearTimeout(timer);
      timer = undefined;
      await writing;
      if (timer) clearTimeout(timer);
      timer = undefined;
      await write();
    },
  };
}
