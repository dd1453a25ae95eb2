import assert from "node:assert/strict";
import { TaskWakeups } from "../../src/batch/task-wakeups.js";
import { startCallbackReceiver } from "../../src/callbacks/callback-receiver.js";
import type { CallbackDelivery } from "../../src/providers/provider.js";
import { test } from "../helpers/leaks.js";

test("the receiver answers only POSTs under its public path and secret, and hands over raw bodies", async (t) => {
  const receiver = await startCallbackReceiver({
    host: "127.0.0.1",
    port: 0,
    publicUrl: "https://tunnel.example/hooks/vidbatch/",
    secret: "s3cr3t",
  });
  t.after(() => receiver.close());
  assert.equal(receiver.urlFor("vb-1-abc-1"), "https://tunnel.example/hooks/vidbatch/s3cr3t/vb-1-abc-1");
  const local = `http://${receiver.listening}`;
  const post = (path: string, body = "{}", headers: Record<string, string> = {}) =>
    fetch(`${local}${path}`, {
      method: "POST",
      body,
      headers: { "content-type": "application/json", ...headers },
    });

  // Before a run attaches: come back later.
  const early = await post("/hooks/vidbatch/s3cr3t/vb-1");
  assert.equal(early.status, 503);
  assert.equal(early.headers.get("retry-after"), "5");

  const seen: { id: string; delivery: CallbackDelivery }[] = [];
  receiver.attach((id, delivery) => {
    seen.push({ id, delivery });
    return id === "bad" ? { status: 401, note: "signature does not verify" } : { status: 200, note: "ok" };
  });
  const ok = await post("/hooks/vidbatch/s3cr3t/vb-1-abc-1", '{"a": 1}', { "Webhook-Id": "msg_1" });
  assert.equal(ok.status, 200);
  assert.deepEqual(await ok.json(), { code: 200, msg: "success" });
  assert.equal(seen[0]?.id, "vb-1-abc-1");
  assert.equal(seen[0]?.delivery.rawBody, '{"a": 1}', "the exact bytes, for signatures");
  assert.equal(seen[0]?.delivery.headers["webhook-id"], "msg_1");
  assert.equal((await post("/hooks/vidbatch/s3cr3t/bad")).status, 401);

  // Wrong secret, wrong prefix, no id, odd ids: a 404 that says nothing, and the run never sees them.
  for (const path of [
    "/hooks/vidbatch/guess/vb-1",
    "/s3cr3t/vb-1",
    "/hooks/vidbatch/s3cr3t/",
    "/hooks/vidbatch/s3cr3t/a%2Fb",
  ])
    assert.equal((await post(path)).status, 404, path);
  assert.equal((await fetch(`${local}/hooks/vidbatch/s3cr3t/vb-1`)).status, 405);
  // Kling's console "send test callback" to the address the user gave: 200, and the run never sees it.
  const test = '{"id":"test-123","status":"submitted","outputs":[],"message":""}';
  for (const path of ["/hooks/vidbatch", "/hooks/vidbatch/"])
    assert.equal((await post(path, test, { "webhook-signature": "v1,abc" })).status, 200, path);
  assert.equal((await post("/hooks/vidbatch", '{"task_id":"1"}')).status, 404, "anything else stays unknown");
  const huge = await post("/hooks/vidbatch/s3cr3t/vb-1", "x".repeat(1024 * 1024 + 10)).catch(() => undefined);
  assert.ok(huge === undefined || huge.status === 413);
  assert.equal(seen.length, 2);
});

test("wakeups: a callback cuts a sleep short; repeats while a check is under way are duplicates", async () => {
  const wakeups = new TaskWakeups();
  const signal = new AbortController().signal;
  assert.equal(wakeups.wake(1, {}), "unfollowed");
  wakeups.follow(1);
  const sleeping = wakeups.sleep(1, 60_000, signal);
  assert.equal(wakeups.wake(1, {}), "woken");
  assert.deepEqual(await sleeping, {});
  // Its status call is under way: a repeated callback adds nothing...
  assert.equal(wakeups.wake(1, {}), "duplicate");
  // ...but a verified answer is kept for the next sleep, which returns at once.
  const snapshot = { state: "succeeded" as const, providerState: "success", videoUrl: "https://x/v.mp4" };
  assert.equal(wakeups.wake(1, { snapshot }), "woken");
  assert.deepEqual(await wakeups.sleep(1, 60_000, signal), { snapshot });
  // Time up: undefined. Primed before it is followed: the first sleep returns it.
  assert.equal(await wakeups.sleep(1, 5, signal), undefined);
  wakeups.prime(2, { snapshot });
  wakeups.follow(2);
  assert.deepEqual(await wakeups.sleep(2, 60_000, signal), { snapshot });
  wakeups.forget(1);
  assert.equal(wakeups.wake(1, {}), "unfollowed");
});
