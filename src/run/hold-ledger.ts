import type Database from "better-sqlite3";
import { acquireRunLock, type RunLock } from "../ledger/run-lock.js";
import type { Logger } from "../util/logger.js";

/**
 * Takes the ledger's lock and keeps its heartbeat going. `stopped` aborts when the run must end:
 * another run took the ledger over (its reason is LockLostError), or the heartbeat could not be
 * written (a full disk: the run stops as a whole rather than crash in a timer).
 */
export function holdLedger(
  db: Database.Database,
  ledgerPath: string,
  settings: { staleAfterMs?: number },
  log: Logger,
): { lock: RunLock; stopped: AbortSignal; timer: NodeJS.Timeout } {
  const lock = acquireRunLock(db, ledgerPath, settings);
  const failed = new AbortController();
  const timer = setInterval(() => {
    try {
      if (!lock.lost.aborted && !lock.heartbeat())
        log.error(`${(lock.lost.reason as Error).message.split("; ")[0]}: stopping now`);
    } catch (error) {
      failed.abort(error);
    }
  }, lock.heartbeatEveryMs).unref();
  return { lock, stopped: AbortSignal.any([lock.lost, failed.signal]), timer };
}
