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
    const held = db.prepare("SELECT pid, host, started_at, heartbeat_at FROM run_lock WHERE id = 1").get() as
      | { pid: number; host: string; started_at: string; heartbeat_at: string }
      | undefined;
    if (held) {
      const fresh = Date.now() - Date.parse(held.heartbeat_at) < STALE_AFTER_MS;
      const alive = held.host === host ? isAlive(held.pid) && fresh : fresh;
      if (alive && held.pid !== pid) {
        throw new UserError(
          `The ledger ${ledgerPath} is in use by another vidbatch run (pid ${held.pid} on ${held.host}, started ${held.started_at}). ` +
            `Wait for it to finish or stop it (Ctrl-C); "vidbatch status" shows its progress meanwhile.`,
          2,
          "LEDGER_BUSY",
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
