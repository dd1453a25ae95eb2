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
