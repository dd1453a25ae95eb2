import { hostname } from "node:os";
import type Database from "better-sqlite3";
import { UserError } from "../util/errors.js";
import { nowIso } from "../util/time.js";

/** A lock whose heartbeat is older than this belongs to a process that died (or hung). */
const STALE_AFTER_MS = 60_000;
export const HEARTBEAT_EVERY_MS = 5_000;

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

export interface RunLockHolder {
  pid: number;
  host: string;
  startedAt: string;
  heartbeatAt: string;
  /** Its heartbeat is recent: the run is (most likely) alive. */
  fresh: boolean;
}

function isFresh(heartbeatAt: string, now = Date.now()): boolean {
  return now - Date.parse(heartbeatAt) < STALE_AFTER_MS;
}

/** Who holds the ledger, if anyone (safe while the holder writes). */
export function readRunLock(db: Database.Database): RunLockHolder | undefined {
  const held = db.prepare("SELECT pid, host, started_at, heartbeat_at FROM run_lock WHERE id = 1").get() as
    | { pid: number; host: string; started_at: string; heartbeat_at: string }
    | undefined;
  if (!held) return undefined;
  return {
    pid: held.pid,
    host: held.host,
    startedAt: held.started_at,
    heartbeatAt: held.heartbeat_at,
    fresh: isFresh(held.heartbeat_at),
  };
}

/**
 * One run per ledger: two runs would both submit the same pending rows. The lock is a row in the
 * ledger itself (taken inside an IMMEDIATE transaction, so two starting runs cannot both win).
 * A lock left by a killed run is taken over once its process is gone or its heartbeat is stale.
 */
export function acquireRunLock(
  db: Database.Database,
  ledgerPath: string,
): { heartbeat: () => void; release: () => void } {
  const host = hostname();
  const pid = process.pid;
  db.transaction(() => {
    const held = readRunLock(db);
    if (held) {
      const alive = held.host === host ? isAlive(held.pid) && held.fresh : held.fresh;
      if (alive && held.pid !== pid) {
        throw new UserError(
          "LEDGER_BUSY",
          `The ledger ${ledgerPath} is in use by another vidbatch run (pid ${held.pid} on ${held.host}, started ${held.startedAt}). ` +
            `Wait for it to finish or stop it (Ctrl-C); "vidbatch status" shows its progress meanwhile.`,
        );
      }
    }
    const now = nowIso();
    db.prepare(
      "INSERT OR REPLACE INTO run_lock (id, pid, host, started_at, heartbeat_at) VALUES (1, ?, ?, ?, ?)",
    ).run(pid, host, now, now);
  }).immediate();

  const beat = db.prepare("UPDATE run_lock SET heartbeat_at = ? WHERE id = 1 AND pid = ?");
  const drop = db.prepare("DELETE FROM run_lock WHERE id = 1 AND pid = ?");
  return {
    heartbeat: () => void beat.run(nowIso(), pid),
    release: () => void drop.run(pid),
  };
}
