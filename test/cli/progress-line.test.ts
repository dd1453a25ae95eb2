import assert from "node:assert/strict";
import { createProgressLine } from "../../src/cli/run/progress-line.js";
import { createPriceLines } from "../../src/plan/price-lines.js";
import { test } from "../helpers/leaks.js";

test("the live line shows no negative rate or ETA when rows finished before the run go back to the queue (--resubmit-unknown)", () => {
  const start = Date.now() - 60_000;
  const line = createProgressLine(start, { unknown: 5, succeeded: 3 });
  const text = line(
    { counts: { pending: 4, running: 1, succeeded: 3 }, spentUsd: 1, reservedUsd: 0 },
    start + 60_000,
  );
  assert.doesNotMatch(text, /-\d|ETA/);
  assert.match(text, /3\/8 done \(37%\) · 1 running · 4 queued/);
});

test("the live line fits 80 columns: money and the wait first, zero counts left out, the rate per minute, the least useful parts dropped", () => {
  const start = Date.parse("2026-11-30T12:00:00Z");
  const line = createProgressLine(start, { pending: 2000 });
  const now = start + 10 * 60_000;
  const counts = { succeeded: 1234, running: 25, pending: 700, failed: 41 };
  const wait = {
    kind: "rate-limit" as const,
    provider: "kie",
    until: now + 4000,
    paused: false,
    limit: { max: 20, windowMs: 10_000 },
  };
  const text = line({ counts, spentUsd: 339.35, reservedUsd: 6.88, waiting: wait }, now);
  assert.ok([...text].length <= 80, `${text.length}: ${text}`);
  assert.match(
    text,
    /^\$339\.35 \+\$6\.88 held · kie 20\/10 s: next at 12:10:04 UTC · 1234\/2000 done \(63%\)/,
  );
  assert.doesNotMatch(text, /invalid|unknown|(^|[^\d])0 [a-z]/, "no zero counts");
  // Wide enough, everything: the rate in one unit (per minute) and the time so far.
  const wide = createProgressLine(
    start,
    { pending: 2000 },
    200,
  )({ counts, spentUsd: 1, reservedUsd: 0 }, now);
  assert.match(wide, /· 25 running · 700 queued · 41 failed · 128\/min · ETA 5m 41s · 10m 00s$/);
  assert.doesNotMatch(wide, /\/s\b|held/);
});

test("the ETA counts a known wait: 700 rows queued behind a 20-per-10-s window take at least 350 s, whatever the pace so far", () => {
  const start = Date.parse("2026-11-30T12:00:00Z");
  const now = start + 60_000;
  const line = createProgressLine(start, { pending: 800 }, 200);
  const limit = { max: 20, windowMs: 10_000 };
  const sample = { counts: { succeeded: 600, pending: 700 }, spentUsd: 0, reservedUsd: 0 };
  // The pace alone (600 a minute) says 1m 10s; the window says 34 more windows after this one's 5 s.
  assert.match(line(sample, now), /ETA 1m 10s/);
  const waiting = { kind: "rate-limit" as const, provider: "kie", until: now + 5000, paused: false, limit };
  assert.match(line({ ...sample, waiting }, now), /ETA 5m 45s/);
  // A daily cap: 700 rows at 100 a day is a week away, and the line says so.
  const daily = { ...waiting, limit: { max: 100, windowMs: 86_400_000 } };
  assert.match(line({ ...sample, waiting: daily }, now), /kie 100\/day: next at .* UTC.*ETA 144h 00m/);
});

test("price lines are not split by fields the provider does not send (a Wireflow workflow decides mode and resolution)", () => {
  const spec = { prompt: "p", duration: 5, aspectRatio: "16:9", sound: false, model: "kling-2.6" } as const;
  const lines = createPriceLines(["mode", "resolution"]);
  lines.add({ ...spec, mode: "pro", resolution: "1080p" }, { credits: 20, source: "workflow" });
  lines.add({ ...spec, resolution: "4k" }, { credits: 20, source: "workflow" });
  assert.deepEqual(
    lines.list().map((l) => [l.mode, l.count]),
    [["", 2]],
  );
});
