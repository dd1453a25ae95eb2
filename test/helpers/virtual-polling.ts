import { calculateNextPollDelay } from "../../bench/before-poll-schedule.js";
import { GenerationTimes } from "../../src/batch/generation-times.js";
import { PollPlanner } from "../../src/batch/poll-planner.js";

/**
 * Polling policies run in virtual time (no waiting): tasks arrive at a steady pace, each takes a
 * generation time drawn uniformly within ±spread of the mean, and every status call must fit the
 * provider's budget (at most `budgetPerSecond` in any second). Checks that are due wait for room;
 * the budget policy lets the likeliest-finished go first, the others go first come first served.
 * - `fixed 5 s`: the public n8n template's loop;
 * - `before`: vidbatch's schedule before the budget (age/8, then every 15% of the median; 3 s floor);
 * - `budget`: src/batch/poll-planner.ts, as the engine runs it.
 */
export type VirtualPolicy = "fixed 5 s" | "before" | "budget";
// The lag is counted for the tasks that started once the kind was known (four had finished), or
// from the first with `history`.

export interface VirtualBatch {
  policy: VirtualPolicy;
  tasks: number;
  /** Time between two task starts (500 ms: KIE's 2 creates a second). */
  arrivalMs: number;
  meanMs: number;
  /** ±share around the mean, e.g. 0.3. */
  spread: number;
  /** The provider's documented status calls a second (KIE: 10). */
  budgetPerSecond: number;
  /** --poll-interval. */
  floorMs: number;
  /** Generation times an earlier run measured (the ledger's): the schedule starts knowing. */
  history?: number;
  seed?: number;
}

export interface VirtualResult {
  callsPerTask: number;
  medianLag: number;
  p90Lag: number;
  /** The 90th percentile over every task, the first ones (learning) included. */
  p90LagAll: number;
  /** Most status calls in any one second: never above the budget. */
  peakCallsPerSecond: number;
  /** The order tasks were checked in, for tests: [time, task index]. */
  calls: [number, number][];
}

function prng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

export function runVirtualPolling(batch: VirtualBatch): VirtualResult {
  const random = prng(batch.seed ?? 7);
  const times = new GenerationTimes();
  const planner = new PollPlanner(times, {
    callsPerSecond: () => batch.budgetPerSecond,
    floorMs: batch.floorMs,
    maxGapMs: 30_000,
  });
  const kind = "kind";
  // An earlier run's finishes, drawn like this run's.
  for (let i = 0; i < (batch.history ?? 0); i++)
    times.record(kind, batch.meanMs * (1 - batch.spread + 2 * batch.spread * random()));
  /** Tasks that started before the kind was known are not counted: the schedule was still learning. */
  const known = () => (times.distribution(kind)?.samples ?? 0) >= 4;
  let knownAt = known() ? 0 : Number.POSITIVE_INFINITY;
  interface Task {
    i: number;
    start: number;
    length: number;
    lastCheck: number;
    want: number;
    polls: number;
    done: boolean;
  }
  const tasks: Task[] = Array.from({ length: batch.tasks }, (_, i) => ({
    i,
    start: i * batch.arrivalMs,
    length: batch.meanMs * (1 - batch.spread + 2 * batch.spread * random()),
    lastCheck: i * batch.arrivalMs,
    want: Number.POSITIVE_INFINITY,
    polls: 0,
    done: false,
  }));
  const gap = (task: Task, now: number) => {
    const age = now - task.start;
    if (batch.policy === "fixed 5 s") return 5000;
    if (batch.policy === "before")
      return calculateNextPollDelay(
        age,
        Math.max(batch.floorMs, 3000),
        random,
        times.expected(kind),
        times.notBefore(kind),
      );
    return planner.delay(kind, age, now, random);
  };
  const calls: [number, number][] = [];
  const window: number[] = [];
  const lags: number[] = [];
  const allLags: number[] = [];
  let started = 0;
  let now = 0;
  let finished = 0;
  const startDue = () => {
    while (started < tasks.length && (tasks[started] as Task).start <= now) {
      const task = tasks[started++] as Task;
      planner.follow(task.i, kind, task.start);
      task.want = task.start + gap(task, task.start);
    }
  };
  while (finished < tasks.length) {
    startDue();
    while (window.length > 0 && (window[0] as number) <= now - 1000) window.shift();
    const due = tasks.filter((t) => !t.done && t.want <= now);
    if (due.length === 0 || window.length >= batch.budgetPerSecond) {
      // Nothing to do now: jump to the next want, the next start, or the next room in the budget.
      const nextWant = Math.min(...tasks.filter((t) => !t.done && t.i < started).map((t) => t.want));
      const nextStart = started < tasks.length ? (tasks[started] as Task).start : Number.POSITIVE_INFINITY;
      const nextRoom = window.length >= batch.budgetPerSecond ? (window[0] as number) + 1000 : now;
      now = Math.max(now + 1, Math.min(Math.max(nextWant, nextRoom), Math.max(nextStart, now + 1)));
      if (due.length > 0) now = Math.max(now, nextRoom);
      continue;
    }
    const pick =
      batch.policy === "budget"
        ? due.reduce((a, b) =>
            planner.priority(kind, now - b.start, b.lastCheck - b.start) >
            planner.priority(kind, now - a.start, a.lastCheck - a.start)
              ? b
              : a,
          )
        : due.reduce((a, b) => (b.want < a.want ? b : a));
    window.push(now);
    calls.push([now, pick.i]);
    pick.polls++;
    if (now < pick.start + pick.length) {
      times.recordRunning(kind, now - pick.start);
      pick.lastCheck = now;
      pick.want = now + gap(pick, now);
      continue;
    }
    pick.done = true;
    finished++;
    planner.forget(pick.i);
    times.record(kind, (pick.lastCheck + now) / 2 - pick.start);
    if (knownAt === Number.POSITIVE_INFINITY && known()) knownAt = now;
    const lag = (now - (pick.start + pick.length)) / pick.length;
    allLags.push(lag);
    if (pick.start >= knownAt) lags.push(lag);
  }
  lags.sort((a, b) => a - b);
  allLags.sort((a, b) => a - b);
  let peak = 0;
  for (let i = 0, j = 0; i < calls.length; i++) {
    while ((calls[j] as [number, number])[0] <= (calls[i] as [number, number])[0] - 1000) j++;
    peak = Math.max(peak, i - j + 1);
  }
  return {
    callsPerTask: tasks.reduce((n, t) => n + t.polls, 0) / tasks.length,
    medianLag: lags[Math.floor(lags.length / 2)] ?? 0,
    p90Lag: lags[Math.floor(lags.length * 0.9)] ?? 0,
    p90LagAll: allLags[Math.floor(allLags.length * 0.9)] ?? 0,
    peakCallsPerSecond: peak,
    calls,
  };
}
