import assert from "node:assert/strict";
import { calculateNextPollDelay } from "../../src/batch/poll-schedule.js";
import { SlidingWindow } from "../../src/batch/sliding-window.js";
import { test } from "../helpers/leaks.js";

test("poll delay grows with the task's age, between --poll-interval and 30 s", () => {
  const r = () => 0;
  assert.equal(calculateNextPollDelay(0, 3000, r), 3000);
  assert.equal(calculateNextPollDelay(60_000, 3000, r), 7500);
  assert.equal(calculateNextPollDelay(180_000, 3000, r), 22_500);
  assert.equal(calculateNextPollDelay(3_600_000, 3000, r), 30_000);
  assert.equal(calculateNextPollDelay(3_600_000, 60_000, r), 60_000, "a longer interval is honoured");
  assert.ok(calculateNextPollDelay(0, 3000, () => 0.99) >= 3000, "jitter never goes below the floor");
});

test("sliding window admits max per window and says how long to wait", () => {
  const w = new SlidingWindow(20, 10_000);
  for (let i = 0; i < 20; i++) assert.equal(w.tryTake(1000 + i), true);
  assert.equal(w.tryTake(1020), false);
  assert.equal(w.waitTime(1020), 9980);
  assert.equal(w.tryTake(11_000), true, "the first event left the window");
  assert.equal(w.tryTake(11_000), false);
});

test("once the generation time is learned: nothing until the usual earliest end, then a check every 15% of the median", () => {
  const r = () => 0;
  const expected = { early: 80_000, median: 100_000 };
  assert.equal(
    calculateNextPollDelay(10_000, 3000, r, expected),
    70_000,
    "asleep until the earliest usual end",
  );
  assert.equal(calculateNextPollDelay(85_000, 3000, r, expected), 15_000);
  assert.equal(calculateNextPollDelay(85_000, 20_000, r, expected), 20_000, "never under --poll-interval");
  assert.equal(
    calculateNextPollDelay(400_000, 3000, r, { early: 250_000, median: 300_000 }),
    45_000,
    "past 30 s for long ones",
  );
  // Before anything finished: no check before half the age at which another task was still running.
  assert.equal(calculateNextPollDelay(10_000, 3000, r, undefined, 60_000), 50_000);
  assert.equal(calculateNextPollDelay(70_000, 3000, r, undefined, 60_000), 8750);
});

test("generation times: trusted after four, the 20th percentile and the median; the longest run still going sets a floor", async () => {
  const { GenerationTimes } = await import("../../src/batch/generation-times.js");
  const times = new GenerationTimes();
  for (const ms of [90_000, 100_000, 110_000]) times.record("kling-2.6|5", ms);
  assert.equal(times.expected("kling-2.6|5"), undefined);
  times.record("kling-2.6|5", 120_000);
  assert.deepEqual(times.expected("kling-2.6|5"), { early: 90_000, median: 110_000 });
  assert.equal(times.expected("other"), undefined);
  times.recordRunning("other", 40_000);
  times.recordRunning("other", 30_000);
  assert.equal(times.notBefore("other"), 20_000);
});
