import type { Simulator } from "../../src/simulator/simulator.js";
import { KEY, KLING_ENV, runArgs, type simFor, WIREFLOW_ENV, wireflowArgs } from "./batch.js";

/** The providers the lock tests run on, each with its flags, keys and simulator settings. */
/** A short stale window so a suspended run loses its lock in about a second, not a minute. */
export const STALE = { VIDBATCH_LOCK_STALE_SECONDS: "1" };

export const LOCK_PROVIDERS: {
  name: string;
  args: (csv: string, sim: Simulator) => string[];
  env: Record<string, string>;
  sim: Parameters<typeof simFor>[1];
}[] = [
  { name: "kie", args: (csv, sim) => runArgs(csv, sim), env: { KIE_API_KEY: KEY }, sim: {} },
  {
    name: "kling",
    args: (csv, sim) => runArgs(csv, sim, ["--provider", "kling"]),
    env: KLING_ENV,
    sim: {},
  },
  {
    name: "wireflow",
    args: (csv, sim) => wireflowArgs(csv, sim, ["--submit-rate", "20/1s", "--status-rate", "100/1s"]),
    env: WIREFLOW_ENV,
    sim: { wireflow: { windowMs: 1_000, requestsPerMinute: 1000, executionsPerMinute: 100 } },
  },
];

/** Rows generating and no create on the wire: a stop now lands between creates. */
export const BETWEEN_CREATES =
  "SELECT CASE WHEN SUM(state = 'submitting') > 0 THEN 0 ELSE SUM(state = 'running') END AS n FROM tasks";
