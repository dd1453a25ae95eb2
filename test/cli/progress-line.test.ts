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
  assert.match(text, /3 done · 1 running · 4 queued/);
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
