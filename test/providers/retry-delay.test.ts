import assert from "node:assert/strict";
import { calculateRetryDelay, parseRetryAfter } from "../../src/providers/retry-delay.js";
import { test } from "../helpers/leaks.js";

test("exponential back-off with equal jitter, capped", () => {
  const low = () => 0;
  const high = () => 0.999999;
  assert.equal(calculateRetryDelay({ attempt: 1, random: low }), 500);
  assert.equal(calculateRetryDelay({ attempt: 1, random: high }), 1000);
  assert.equal(calculateRetryDelay({ attempt: 3, random: low }), 2000);
  assert.equal(calculateRetryDelay({ attempt: 30, random: high }), 30_000);
  assert.equal(calculateRetryDelay({ attempt: 30, capMs: 5000, random: low }), 2500);
});

test("Retry-After wins over back-off, with at most 10% (≤1 s) added", () => {
  assert.equal(calculateRetryDelay({ attempt: 5, retryAfterMs: 3000, random: () => 0 }), 3000);
  assert.equal(calculateRetryDelay({ attempt: 5, retryAfterMs: 3000, random: () => 1 }), 3300);
  assert.equal(calculateRetryDelay({ attempt: 1, retryAfterMs: 60_000, random: () => 1 }), 61_000);
});

test("Retry-After parses seconds and HTTP dates, and ignores junk", () => {
  assert.equal(parseRetryAfter("5"), 5000);
  assert.equal(parseRetryAfter("1.5"), 1500);
  const now = Date.parse("2026-11-21T10:00:00Z");
  assert.equal(parseRetryAfter("Sat, 21 Nov 2026 10:00:30 GMT", now), 30_000);
  assert.equal(parseRetryAfter("soon"), undefined);
  assert.equal(parseRetryAfter(undefined), undefined);
  assert.equal(parseRetryAfter("999999"), 3_600_000, "capped at an hour");
});
