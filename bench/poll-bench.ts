/**
 * Polling policies compared in virtual time (deterministic, seconds to run; prints figures, asserts
 * nothing). Tasks arrive at KIE's create rate (2 a second), their generation times spread ±5%, ±15%
 * or ±30% around the mean, and every status call fits KIE's budget (10 a second): a check that is
 * due waits for room. Figures: status calls per task, and the delay between a task finishing and the
 * check that notices it (its notice lag), as a share of its generation time, once the first 20 have
 * finished (from the first task when an earlier run's times are in the ledger: `+hist`). Policies (test/helpers/virtual-polling.ts): the n8n template's fixed 5 s; vidbatch's
 * schedule before the budget (3 s floor); the budget planner (src/batch/poll-planner.ts, 0.5 s floor).
 * Run with `npm run bench:polling`.
 */
import { runVirtualPolling, type VirtualPolicy } from "../test/helpers/virtual-polling.js";

const pct = (x: number) => `${(x * 100).toFixed(1)}%`;
console.log("tasks arriving 2 a second (600, or 2,000 for 300 s), KIE's 10 status calls a second");
console.log("mean T | spread | policy      | calls/task | median lag | p90 lag | peak calls/s");
for (const seconds of [10, 30, 90, 300]) {
  for (const spread of [0.05, 0.15, 0.3]) {
    for (const [policy, history] of [
      ["fixed 5 s", 0],
      ["before", 0],
      ["budget", 0],
      ["budget", 20],
    ] as [VirtualPolicy, number][]) {
      const r = runVirtualPolling({
        policy,
        history,
        tasks: seconds >= 300 ? 2000 : 600,
        arrivalMs: 500,
        meanMs: seconds * 1000,
        spread,
        budgetPerSecond: 10,
        floorMs: policy === "budget" ? 500 : 3000,
      });
      console.log(
        `${String(seconds).padStart(4)} s | ±${String(spread * 100).padStart(2)}%  | ${(history ? `${policy}+hist` : policy).padEnd(11)} | ${r.callsPerTask.toFixed(2).padStart(10)} | ${pct(r.medianLag).padStart(10)} | ${pct(r.p90Lag).padStart(7)} | ${String(r.peakCallsPerSecond).padStart(12)}`,
      );
    }
  }
}
