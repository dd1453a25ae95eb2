import assert from "node:assert/strict";
import { GenerationTimes } from "../../src/batch/generation-times.js";
import { PollPlanner, WINDOW_GAP } from "../../src/batch/poll-planner.js";
import { RateLimiter } from "../../src/batch/rate-limiter.js";
import { SlidingWindow } from "../../src/batch/sliding-window.js";
import { test } from "../helpers/leaks.js";
import { runVirtualPolling } from "../helpers/virtual-polling.js";

const r = () => 0;

test("sliding window admits max per window and says how long to wait", () => {
  const w = new SlidingWindow(20, 10_000);
  for (let i = 0; i < 20; i++) assert.equal(w.tryTake(1000 + i), true);
  assert.equal(w.tryTake(1020), false);
  assert.equal(w.waitTime(1020), 9980);
  assert.equal(w.tryTake(11_000), true, "the first event left the window");
  assert.equal(w.tryTake(11_000), false);
});

test("generation times: a distribution from the first finish, its ends widened while few are known, its CDF through the samples; the longest run still going sets a floor", () => {
  const times = new GenerationTimes();
  assert.equal(times.distribution("kling-2.6|5"), undefined);
  times.record("kling-2.6|5", 100_000);
  const one = times.distribution("kling-2.6|5");
  assert.deepEqual(
    [one?.early, one?.median, one?.late],
    [75_000, 100_000, 125_000],
    "one finish: a quarter either side",
  );
  for (const ms of [90_000, 110_000]) times.record("kling-2.6|5", ms);
  times.record("kling-2.6|5", 120_000);
  const d = times.distribution("kling-2.6|5");
  assert.ok(d);
  assert.equal(d.median, 110_000);
  assert.equal(d.early, 90_000 - 0.04 * 110_000, "widened below the fastest seen while few are known");
  assert.equal(d.late, 120_000 + 0.04 * 110_000);
  assert.equal(d.cdf(80_000), 0);
  assert.equal(d.cdf(100_000), 0.375);
  assert.equal(d.cdf(200_000), 1);
  times.recordRunning("other", 40_000);
  times.recordRunning("other", 30_000);
  assert.equal(times.notBefore("other"), 20_000);
  // An earlier run's times (the ledger's) make a kind known from the first task.
  const seeded = new GenerationTimes();
  seeded.seed("k", [10_000, 11_000, 12_000, 13_000]);
  assert.equal(seeded.distribution("k")?.median, 12_000);
});

test("the planner: no check before the earliest usual end; inside the window a gap that narrows as the task outlives its kind; a straggler more sparsely; an unknown kind ramps", () => {
  const times = new GenerationTimes();
  // This run's own finishes (seeded ones from earlier runs add an early probe: below).
  for (let i = 0; i < 40; i++) times.record("k", 70_000 + i * 1500); // 70–128.5 s: ±30 %
  const planner = new PollPlanner(times, { callsPerSecond: () => 10, floorMs: 500, maxGapMs: 30_000 });
  planner.follow(1, "k", 0);
  const d = times.distribution("k");
  assert.ok(d);
  const gapAt = (age: number) => WINDOW_GAP * d.median * Math.sqrt(Math.max(0.05, 1 - d.cdf(age)));
  assert.equal(
    planner.delay("k", 0, 0, r),
    Math.round(d.early - gapAt(d.early) / 2),
    "asleep until half a gap before the earliest end",
  );
  // One task alone leaves the budget room to spare: its gaps are halved.
  assert.equal(
    planner.delay("k", 72_000, 72_000, r),
    Math.round(gapAt(72_000) / 2),
    "early in the window: about 13% of the median, halved",
  );
  assert.equal(planner.delay("k", 120_000, 120_000, r), Math.round(gapAt(120_000) / 2), "late in it: denser");
  assert.ok(gapAt(120_000) < gapAt(72_000) / 2);
  assert.equal(
    planner.delay("k", 200_000, 200_000, r),
    Math.round((200_000 - d.late) / 3 / 2),
    "a straggler: a third of how far past the usual end it is",
  );
  assert.equal(planner.delay("k", 900_000, 900_000, r), 15_000, "never past the longest gap (then halved)");
  // A narrow spread (±5 %) is still checked at least twice inside its window.
  const narrow = new GenerationTimes();
  narrow.seed(
    "n",
    Array.from({ length: 40 }, (_, i) => 95_000 + i * 250),
  ); // 95–104.75 s
  const dn = narrow.distribution("n");
  assert.ok(dn);
  const planNarrow = new PollPlanner(narrow, { callsPerSecond: () => 10, floorMs: 500, maxGapMs: 30_000 });
  assert.ok(planNarrow.delay("n", 96_000, 96_000, r) <= (dn.late - dn.early) / 2 + 1);
  // Known only from earlier runs: one probe at a quarter of the earliest usual end, in case this
  // run's jobs are faster.
  const seeded = new GenerationTimes();
  seeded.seed(
    "k",
    Array.from({ length: 40 }, (_, i) => 70_000 + i * 1500),
  );
  const fromHistory = new PollPlanner(seeded, { callsPerSecond: () => 10, floorMs: 500, maxGapMs: 30_000 });
  assert.equal(fromHistory.delay("k", 0, 0, r), Math.round((seeded.distribution("k")?.early ?? 0) / 4));
  // A kind not known yet: an eighth of the age, not before half the age another one still ran.
  assert.equal(planner.delay("new", 8000, 8000, r), 1000);
  times.recordRunning("new", 40_000);
  assert.equal(planner.delay("new", 8000, 8000, r), 12_000);
});

test("the planner shares the budget: with many tasks inside their finish window each is checked less often, never past what the budget allows", () => {
  const times = new GenerationTimes();
  times.seed(
    "k",
    Array.from({ length: 40 }, (_, i) => 7_000 + i * 150),
  ); // 7–12.85 s: about 10 s ±30 %
  const planner = new PollPlanner(times, { callsPerSecond: () => 10, floorMs: 100, maxGapMs: 30_000 });
  planner.follow(1, "k", 0);
  const alone = planner.delay("k", 7_500, 7_500, r);
  for (let id = 2; id <= 60; id++) planner.follow(id, "k", 0);
  const crowded = planner.delay("k", 7_500, 7_500, r);
  // 60 tasks early in their windows would call about 60 / 1.4 s alone: the gap widens to fit 9.5 a second.
  assert.ok(crowded > alone * 3, `${crowded} > 3 × ${alone}`);
  assert.ok(
    60_000 / crowded <= 9.5 * 1.01,
    `the 60 together call at most 9.5 a second (every ${crowded} ms)`,
  );
  for (let id = 2; id <= 60; id++) planner.forget(id);
  assert.equal(planner.delay("k", 7_500, 7_500, r), alone);
  // Batched queries (one call for many tasks) are not shared out.
  for (let id = 2; id <= 60; id++) planner.follow(id, "k", 0);
  assert.equal(planner.delay("k", 7_500, 7_500, r, true), alone);
});

test("checks that wait for the budget go likeliest-finished first: the planner's priority is the chance the task ended since its last check", async () => {
  const times = new GenerationTimes();
  times.seed(
    "k",
    Array.from({ length: 40 }, (_, i) => 90_000 + i * 500),
  ); // 90–110 s
  const planner = new PollPlanner(times, { callsPerSecond: () => 10, floorMs: 500, maxGapMs: 30_000 });
  const early = planner.priority("k", 92_000, 91_000);
  const late = planner.priority("k", 108_000, 100_000);
  assert.ok(late > early, `${late} > ${early}`);
  assert.equal(planner.priority("k", 50_000, 40_000), 0, "long before the usual end");
  assert.equal(planner.priority("k", 200_000, 150_000), 1, "past every usual end");
  // The limiter lets the highest priority through when there is room, whatever the order of arrival.
  const limiter = new RateLimiter(1, 200, 0);
  const signal = new AbortController().signal;
  await limiter.acquire(signal); // the window is full now
  const order: string[] = [];
  await Promise.all(
    [
      ["low", 0.1],
      ["high", 0.9],
      ["middle", 0.5],
    ].map(([name, p]) => limiter.acquire(signal, () => p as number).then(() => order.push(name as string))),
  );
  assert.deepEqual(order, ["high", "middle", "low"]);
});

test("in virtual time, the budget policy meets the polling goals and never spends past the provider's budget (KIE: 2 creates and 10 status calls a second)", () => {
  for (const [seconds, spread] of [
    [12, 0.05],
    [30, 0.3],
    [90, 0.15],
  ] as const) {
    const r1 = runVirtualPolling({
      policy: "budget",
      tasks: 600,
      arrivalMs: 500,
      meanMs: seconds * 1000,
      spread,
      budgetPerSecond: 10,
      floorMs: 500,
    });
    const what = `${seconds} s ±${spread * 100}%`;
    assert.ok(r1.peakCallsPerSecond <= 10, `${what}: ${r1.peakCallsPerSecond} calls in one second`);
    assert.ok(r1.medianLag <= 0.05, `${what}: median lag ${r1.medianLag}`);
    assert.ok(r1.p90Lag <= 0.15, `${what}: 90th percentile ${r1.p90Lag}`);
    // The first tasks, while the kind is learned, are not left behind either.
    assert.ok(r1.p90LagAll <= 0.3, `${what}: 90th percentile over all tasks ${r1.p90LagAll}`);
    const before = runVirtualPolling({
      policy: "before",
      tasks: 400,
      arrivalMs: 500,
      meanMs: seconds * 1000,
      spread,
      budgetPerSecond: 10,
      floorMs: 3000,
    });
    assert.ok(
      r1.medianLag < before.medianLag,
      `${what}: better than before (${r1.medianLag} < ${before.medianLag})`,
    );
  }
});

test("earlier runs' times that this run contradicts are dropped; a stray measure does not stretch the usual range", () => {
  const times = new GenerationTimes();
  times.seed(
    "k",
    Array.from({ length: 20 }, () => 30_000),
  );
  assert.equal(times.seenThisRun("k"), false);
  times.record("k", 5_000);
  assert.equal(times.distribution("k")?.median, 30_000, "one stray proves nothing");
  times.record("k", 5_200);
  assert.equal(times.distribution("k")?.median, 5_200, "two do: the model got faster");
  assert.equal(times.seenThisRun("k"), true);
  const robust = new GenerationTimes();
  robust.seed("r", [...Array.from({ length: 99 }, (_, i) => 57_000 + i * 60), 10_000]);
  assert.ok(
    (robust.distribution("r")?.early ?? 0) > 50_000,
    "the 10 s outlier is not the earliest usual end",
  );
});

test("the status limiter lowers its allowance when the provider refuses (another run on the key) and grows it back", () => {
  const limiter = new RateLimiter(10, 1000, 0);
  const start = 1_000_000;
  assert.equal(limiter.ratePerSecond(start), 10);
  limiter.refused(start);
  assert.equal(limiter.ratePerSecond(start), 6);
  limiter.refused(start + 500);
  assert.equal(limiter.ratePerSecond(start + 500), 6, "one burst of refusals is one signal");
  limiter.refused(start + 2000);
  assert.equal(limiter.ratePerSecond(start + 2000), 4);
  assert.equal(limiter.ratePerSecond(start + 7100), 5, "one more every five seconds without a refusal");
  let at = start + 7100;
  for (let i = 0; i < 20; i++) at += 5100;
  for (let t = start + 7100; t <= at; t += 5100) limiter.ratePerSecond(t);
  assert.equal(limiter.ratePerSecond(at), 10, "never past the documented rate");
});
