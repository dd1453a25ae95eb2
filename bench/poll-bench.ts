/**
 * Polling policies compared in virtual time (no waiting; prints figures, asserts nothing):
 * status calls per task, and the delay between a task finishing and the poll that notices it, as a
 * share of that task's generation time T. Tasks arrive at KIE's create rate (2 a second), their
 * generation times spread ±30% around the mean; the floor between two checks is 3 s
 * (--poll-interval). Policies:
 * - fixed 5 s: the public n8n template's loop;
 * - age/8: vidbatch's schedule before it learned;
 * - learned: the schedule vidbatch uses now (src/batch/poll-schedule.ts with GenerationTimes).
 * Run with `npm run bench:polling`.
 */
import { GenerationTimes } from "../src/batch/generation-times.js";
import { calculateNextPollDelay } from "../src/batch/poll-schedule.js";

type Policy = "fixed 5 s" | "age/8" | "learned";

function prng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

function simulate(policy: Policy, meanMs: number, tasks: number, floorMs: number) {
  const random = prng(7);
  const times = new GenerationTimes();
  interface Task {
    start: number;
    length: number;
    lastRunning: number;
    polls: number;
  }
  const all: Task[] = Array.from({ length: tasks }, (_, i) => ({
    start: i * 500,
    length: meanMs * (0.7 + 0.6 * random()),
    lastRunning: i * 500,
    polls: 0,
  }));
  // Events: [time, task]; a sorted queue is enough at this size.
  const queue: [number, Task][] = [];
  const schedule = (at: number, task: Task) => {
    let i = queue.length;
    while (i > 0 && (queue[i - 1] as [number, Task])[0] > at) i--;
    queue.splice(i, 0, [at, task]);
  };
  const next = (task: Task, now: number) => {
    const age = now - task.start;
    if (policy === "fixed 5 s") return 5000;
    return policy === "learned"
      ? calculateNextPollDelay(age, floorMs, random, times.expected("kind"), times.notBefore("kind"))
      : calculateNextPollDelay(age, floorMs, random);
  };
  for (const task of all) schedule(task.start + next(task, task.start), task);
  const lags: number[] = [];
  while (queue.length > 0) {
    const [now, task] = queue.shift() as [number, Task];
    task.polls++;
    if (now < task.start + task.length) {
      task.lastRunning = now;
      times.recordRunning("kind", now - task.start);
      schedule(now + next(task, now), task);
      continue;
    }
    lags.push((now - (task.start + task.length)) / task.length);
    times.record("kind", (task.lastRunning + now) / 2 - task.start);
  }
  lags.sort((a, b) => a - b);
  const polls = all.reduce((n, t) => n + t.polls, 0) / all.length;
  return {
    polls,
    medianLag: lags[Math.floor(lags.length / 2)] as number,
    p90Lag: lags[Math.floor(lags.length * 0.9)] as number,
  };
}

const pct = (x: number) => `${(x * 100).toFixed(1)}%`;
for (const [tasks, floorMs] of [
  [400, 3000],
  [4000, 3000],
  [4000, 1000],
] as const) {
  console.log(`\n${tasks} tasks arriving 2 a second (${tasks / 2} s), --poll-interval ${floorMs / 1000} s`);
  console.log("mean T | policy     | status calls per task | median notice delay | 90th percentile");
  for (const seconds of [10, 30, 90, 300]) {
    for (const policy of ["fixed 5 s", "age/8", "learned"] as Policy[]) {
      const r = simulate(policy, seconds * 1000, tasks, floorMs);
      console.log(
        `${String(seconds).padStart(4)} s | ${policy.padEnd(10)} | ${r.polls.toFixed(2).padStart(21)} | ${pct(r.medianLag).padStart(19)} | ${pct(r.p90Lag).padStart(15)}`,
      );
    }
  }
}
