import { readFileSync, renameSync, writeFileSync } from "node:fs";
import type { SimState } from "./sim-context.js";

/** How soon after a change the state is written (several creates in a burst: one write). */
const SAVE_AFTER_MS = 200;

/**
 * Keeps the simulator's tasks in a JSON file, so that a simulated run stopped with Ctrl-C (or
 * killed) and run again finds the tasks it made: the built-in simulator lives in the run's process
 * and would otherwise start empty each run, and every resumed task would be "unknown to the
 * provider". Generations go on in wall time: a task's creation time is absolute. Written to a
 * temporary file and renamed, so a kill mid-write leaves the previous state.
 */
/**
 * The port the simulator of a kept state listened on: result URLs that an earlier run stored point
 * there, so listening on it again keeps them working (undefined: none kept).
 */
export function savedSimPort(path: string): number | undefined {
  try {
    const port = (JSON.parse(readFileSync(path, "utf8")) as { port?: unknown }).port;
    return typeof port === "number" && Number.isInteger(port) && port > 0 && port < 65536 ? port : undefined;
  } catch {
    return undefined; // no state yet
  }
}

export function keepSimState(
  path: string,
  apis: Record<string, SimState>,
  credits: { balance: number },
  port: () => number,
) {
  try {
    const saved = JSON.parse(readFileSync(path, "utf8")) as Record<string, unknown> & { credits?: number };
    for (const [name, api] of Object.entries(apis)) if (saved[name] !== undefined) api.load(saved[name]);
    if (typeof saved.credits === "number") credits.balance = saved.credits;
  } catch {
    // No state yet (the first run), or one that cannot be read: the simulator starts empty.
  }
  let timer: NodeJS.Timeout | undefined;
  const save = () => {
    if (timer) clearTimeout(timer);
    timer = undefined;
    const state: Record<string, unknown> = { credits: credits.balance, port: port() };
    for (const [name, api] of Object.entries(apis)) state[name] = api.save();
    try {
      writeFileSync(`${path}.tmp`, JSON.stringify(state));
      renameSync(`${path}.tmp`, path);
    } catch {
      // A read-only or full disk: the simulator goes on in memory (a resumed simulated run then
      // finds fewer tasks); the run itself reports the disk through its own writes.
    }
  };
  return {
    save,
    changed() {
      timer ??= setTimeout(save, SAVE_AFTER_MS).unref();
    },
  };
}
