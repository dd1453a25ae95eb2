import type Database from "better-sqlite3";
import { writeResultsCsv } from "../output/results-csv.js";
import type { Logger } from "../util/logger.js";

/**
 * Rewrites the results CSV while a run goes on, at most once per `everyMs`, one write at a time,
 * so that a user can open it mid-run and a crash still leaves a recent one.
 */
export function createResultsRefresher(
  db: Database.Database,
  outPath: string,
  secrets: readonly string[],
  log: Logger,
  everyMs = 5000,
) {
  let dirty = false;
  let writing: Promise<void> | undefined;
  let timer: NodeJS.Timeout | undefined;

  const write = async () => {
    dirty = false;
    try {
      await writeResultsCsv(db, outPath, secrets);
    } catch (error) {
      log.warn(`could not refresh ${outPath}: ${(error as Error).message}`);
    }
  };

  const schedule = () => {
    if (timer || writing || !dirty) return;
    timer = setTimeout(() => {
      timer = undefined;
      writing = write().finally(() => {
        writing = undefined;
        schedule(); // changes that came in during the write
      });
    }, everyMs);
    timer.unref();
  };

  return {
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
