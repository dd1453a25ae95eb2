import { randomBytes } from "node:crypto";
import { hostname } from "node:os";
import type Database from "better-sqlite3";
import { UserError } from "../util/errors.js";
import { nowIso } from "../util/time.js";

/** A lock whose heartbeat is older than this belongs to a process that died, hung or was suspended. */
export const STALE_AFTER_MS = 60_000;

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
  /** The holder's fencing token (null in a lock written before tokens). */
  token: string | null;
}

/**
 * Another run took the ledger over while this one was not looking (suspended with Ctrl-Z or
 * SIGSTOP, a laptop asleep, a hung disk): this run must not write anything that leads to money.
 */
export class LockLostError extends UserError {
  constructor(ledgerPath: string, holder: RunLockHolder | undefined) {
    super(
      "LEDGER_TAKEN_OVER",
      `another vidbatch run ${holder ? `(pid ${holder.pid} on ${holder.host}, started ${holder.startedAt}) ` : ""}took over the ledger ${ledgerPath} while this one was suspended or unresponsive; ` +
        "this run stopped without submitting or downloading anything more. Its tasks are followed by the run that holds the ledger now: " +
        '"vidbatch status" shows its progress; run the same command again once it has finished.',
    );
  }
}

function isFresh(heartbeatAt: string, staleAfterMs: number, now = Date.now()): boolean {
  return now - Date.parse(heartbeatAt) < staleAfterMs;
}

type LockRow = {
  pid: number;
  host: string;
  started_at: string;
  heartbeat_at: string;
  token: string | null;
  stale_after_ms: number | null;
};

/** Who holds the ledger, if anyone (safe while the holder writes). */
export function readRunLock(db: Database.Database, staleAfterMs = STALE_AFTER_MS): RunLockHolder | undefined {
  const held = db.prepare("SELECT * FROM run_lock WHERE id = 1").get() as LockRow | undefined;
  if (!held) return undefined;
  // The holder's own window counts too: a run with a shorter one never takes over a healthy run.
  const window = Math.max(staleAfterMs, held.stale_after_ms ?? 0);
  return {
    pid: held.pid,
    host: held.host,
    token: held.token,
    startedAt: held.started_at,
    heartbeatAt: held.heartbeat_at,
    fresh: isFresh(held.heartbeat_at, window),
  };
}

/** The tokens of the locks runs in this process hold right now. */
const HELD_HERE = new Set<string>();

export interface RunLock {
  /**
   * Throws LockLostError unless this process still owns the ledger. Called inside the transaction
   * that writes what leads to money (an intent to create, a video put into place), so the check and
   * the write are one atomic step: no other run can take over between them.
   */
  assertOwned(): void;
  /** Refreshes the heartbeat; false (and `lost` aborts) once another run has taken over. */
  heartbeat(): boolean;
  /** Aborted once this run learns it no longer owns the ledger. */
  lost: AbortSignal;
  /** Gives the ledger up, if this run still owns it (never another run's lock). */
  release(): void;
  /** How often to call heartbeat: a twelfth of the stale window (5 s of 60 s). */
  heartbeatEveryMs: number;
  /**
   * Taken over from a run that may still be alive (suspended, or on another machine: its process
   * could not be seen to be gone). A create of that run may still be on the wire, so a lookup that
   * does not find it proves nothing yet.
   */
  tookOverLive: boolean;
}

/**
 * One run per ledger: two runs would both submit the same pending rows. The lock is a row in the
 * ledger itself, taken inside an IMMEDIATE transaction, so two starting runs cannot both win.
 * A lock left by a killed run is taken over once its process is gone or its heartbeat is stale.
 *
 * Ownership is fenced by a random token, not by time: a heartbeat says nothing about a process that
 * was suspended after writing it (its clock-based view of "I still hold the lock" is stale the
 * moment it wakes). Every write that leads to money checks, in its own transaction, that the token
 * in the ledger is still this run's; a run that finds another token stops.
 */
export function acquireRunLock(
  db: Database.Database,
  ledgerPath: string,
  options: { staleAfterMs?: number } = {},
): RunLock {
  const staleAfterMs = options.staleAfterMs ?? STALE_AFTER_MS;
  const host = hostname();
  const pid = process.pid;
  const token = randomBytes(16).toString("hex");
  let tookOverLive = false;
  db.transaction(() => {
    const held = readRunLock(db, staleAfterMs);
    if (held) {
      tookOverLive = held.host !== host || (held.pid !== pid && isAlive(held.pid));
      const alive = held.host === host ? isAlive(held.pid) && held.fresh : held.fresh;
      // This process may hold it too (a program that runs batches side by side through the
      // library): busy while that run holds it; a lock an earlier run of this process left is not.
      const ours = held.pid === pid && held.host === host;
      if ((alive && !ours) || (ours && held.token !== null && HELD_HERE.has(held.token))) {
        throw new UserError(
          "LEDGER_BUSY",
          `The ledger ${ledgerPath} is in use by another vidbatch run (pid ${held.pid} on ${held.host}, started ${held.startedAt}). ` +
            (ours
              ? "Another run of this program holds it: wait for that run to finish."
              : `Wait for it to finish or stop it (Ctrl-C); "vidbatch status" shows its progress meanwhile.`),
        );
      }
    }
    const now = nowIso();
    db.prepare(
      "INSERT OR REPLACE INTO run_lock (id, pid, host, started_at, heartbeat_at, token, stale_after_ms) VALUES (1, ?, ?, ?, ?, ?, ?)",
    ).run(pid, host, now, now, token, staleAfterMs);
  }).immediate();

  HELD_HERE.add(token);
  const lost = new AbortController();
  const owner = db.prepare("SELECT token FROM run_lock WHERE id = 1").pluck();
  const beat = db.prepare("UPDATE run_lock SET heartbeat_at = ? WHERE id = 1 AND token = ?");
  const drop = db.prepare("DELETE FROM run_lock WHERE id = 1 AND token = ?");
  const loseTo = (): never => {
    const error = new LockLostError(ledgerPath, readRunLock(db, staleAfterMs));
    if (!lost.signal.aborted) lost.abort(error);
    throw error;
  };
  return {
    assertOwned() {
      if (lost.signal.aborted || owner.get() !== token) loseTo();
    },
    heartbeat() {
      if (lost.signal.aborted) return false;
      if (beat.run(nowIso(), token).changes === 1) return true;
      try {
        loseTo();
      } catch {
        // `lost` carries the error; the heartbeat's caller only needs to know.
      }
      return false;
    },
    lost: lost.signal,
    heartbeatEveryMs: Math.max(50, Math.round(staleAfterMs / 12)),
    tookOverLive,
    release: () => {
      HELD_HERE.delete(token);
      drop.run(token);
    },
  };
}
