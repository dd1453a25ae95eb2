import assert from "node:assert/strict";
import { DownloadQueue } from "../../src/batch/download-queue.js";
import { test } from "../helpers/leaks.js";

test("the download queue runs at most N at once, in order, and holds only ids while they wait", async () => {
  const started: number[] = [];
  let running = 0;
  let most = 0;
  const work = new Set<Promise<unknown>>();
  const queue = new DownloadQueue(
    3,
    async (id) => {
      started.push(id);
      most = Math.max(most, ++running);
      await new Promise((r) => setTimeout(r, id % 3));
      running--;
    },
    (p) => {
      work.add(p);
      void p.finally(() => work.delete(p));
    },
  );
  for (let id = 1; id <= 3000; id++) queue.push(id);
  // Only three downloads exist as promises; the other 2,997 wait as plain ids.
  assert.equal(work.size, 3);
  assert.equal(queue.waiting, 2997);
  while (work.size > 0) await Promise.all([...work]);
  assert.equal(most, 3);
  assert.equal(queue.waiting, 0);
  assert.deepEqual(
    started,
    Array.from({ length: 3000 }, (_, i) => i + 1),
  );
});
