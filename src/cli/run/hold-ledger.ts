import type Database from "better-sqlite3";
import { acquireRunLock, type RunLock } from "../../ledger/run-lock.js";
import type { Logger } from "../../util/logger.js";

/**
 * VIDBATCH_LOCK_STALE_SECONDS: how long a silent run keeps the ledger before another may take it
 * over (default 60). Shorter suits tests; longer suits a ledger on a slow network folder.
 */
export function lockSettings(env: Record<string, string | undefined>): { staleAfterMs?: number } {
  const seconds = Number(env.VIDBATCH_LOCK_STALE_SECONDS);
  return Number.isFinite(seconds) && seconds > 0 ? { staleAfterMs: seconds * 1000 } : {};
}

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
