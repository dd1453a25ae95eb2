import { rmSync, writeFileSync } from "node:fs";

/** Enough for the few pages a task id, a refusal or an unknown outcome writes, many times over. */
export const RESERVE_BYTES = 4 * 1024 * 1024;

/**
 * Room kept on the ledger's disk for the writes that decide money: a file beside the ledger
 * (`<ledger>.reserve`), given back the moment such a write finds the disk full, so the task id a
 * create brought back is still recorded though something else took the last free bytes meanwhile.
 * Creates stop soon after (the ledger's disk is nearly full); the file is removed when the run ends.
 */
export function createDiskReserve(path: string, bytes = RESERVE_BYTES) {
  let held = false;
  try {
    writeFileSync(path, Buffer.alloc(bytes));
    held = true;
  } catch {
    // No room even for this: there is no reserve, and the creates' own check halts them.
    rmSync(path, { force: true });
  }
  return {
    /** Gives the room back; true when there was some to give. */
    release(): boolean {
      if (!held) return false;
      held = false;
      try {
        rmSync(path, { force: true });
        return true;
      } catch {
        return false; // could not delete it: the write fails as it would have
      }
    },
  };
}
