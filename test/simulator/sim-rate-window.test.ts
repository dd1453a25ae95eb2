import assert from "node:assert/strict";
import { SimRateWindow } from "../../src/simulator/sim-rate-window.js";
import { test } from "../helpers/leaks.js";

test("the simulator counts its own limit: max per window, then refusals until the oldest leaves", () => {
  const w = new SimRateWindow(3, 1000);
  assert.equal(w.tryTake(0), true);
  assert.equal(w.tryTake(100), true);
  assert.equal(w.tryTake(200), true);
  assert.equal(w.tryTake(300), false, "a fourth in the same second is refused");
  assert.equal(w.count(300), 3);
  assert.equal(w.waitTime(300), 700);
  assert.equal(w.nextExpiry(300), 1000);
  assert.equal(w.tryTake(999), false);
  assert.equal(w.tryTake(1000), true, "the first left the window");
  assert.equal(w.count(1000), 3);
});
