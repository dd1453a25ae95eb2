import assert from "node:assert/strict";
import type { HttpResponse } from "../../../src/providers/http-client.js";
import { readKieEnvelope, readKieTask, readKieTaskId } from "../../../src/providers/kie/kie-response.js";
import { test } from "../../helpers/leaks.js";

const res = (status: number, body: unknown, headers: Record<string, string> = {}): HttpResponse => ({
  status,
  headers,
  body,
  text: JSON.stringify(body),
});

// Documented bodies, verbatim from the KIE docs (docs/provider-contracts.md, KIE).
const CREATE_OK = { code: 200, msg: "success", data: { taskId: "task_kling-2.6_1765182425861" } };
const RECORD_SUCCESS = {
  code: 200,
  msg: "success",
  data: {
    taskId: "task_12345678",
    model: "grok-imagine/text-to-image",
    state: "success",
    param:
      '{"model":"grok-imagine/text-to-image","callBackUrl":"https://your-domain.com/api/callback","input":{"prompt":"Cinematic portrait...","aspect_ratio":"3:2"}}',
    resultJson: '{"resultUrls":["https://example.com/generated-content.jpg"]}',
    failCode: "",
    failMsg: "",
    costTime: 15000,
    completeTime: 1698765432000,
    createTime: 1698765400000,
    updateTime: 1698765432000,
  },
};
const RECORD_FAIL = {
  code: 200,
  message: "success",
  data: {
    taskId: "task_12345678",
    state: "fail",
    resultJson: "",
    failCode: "422",
    failMsg: "Invalid prompt: prompt contains prohibited content",
  },
};
const CALLBACK_SUCCESS_DATA = {
  completeTime: 1755599644000,
  consumeCredits: 100,
  costTime: 8,
  createTime: 1755599634000,
  model: "kling-2.6/image-to-video",
  param: "{...}",
  remainedCredits: 2510330,
  resultJson: '{"resultUrls":["https://example.com/generated-video.mp4"]}',
  state: "success",
  taskId: "e989621f54392584b05867f87b160672",
  updateTime: 1755599644000,
};

test("createTask: the documented success body yields the task id", () => {
  assert.equal(readKieTaskId(readKieEnvelope(res(200, CREATE_OK), "create")), "task_kling-2.6_1765182425861");
});

test("recordInfo: success parses the resultJson string; fail carries failCode/failMsg", () => {
  const ok = readKieTask(readKieEnvelope(res(200, RECORD_SUCCESS), "status"));
  assert.deepEqual(ok, {
    state: "succeeded",
    providerState: "success",
    videoUrl: "https://example.com/generated-content.jpg",
    // `param` echoes the create request: its callBackUrl confirms whose task this is.
    callbackUrl: "https://your-domain.com/api/callback",
  });
  const failed = readKieTask(readKieEnvelope(res(200, RECORD_FAIL), "status"));
  assert.deepEqual(failed, {
    state: "failed",
    providerState: "fail",
    errorCode: "422",
    errorMessage: "Invalid prompt: prompt contains prohibited content",
  });
});

test("credits are read from consumeCredits or creditsConsumed", () => {
  assert.equal(readKieTask(CALLBACK_SUCCESS_DATA).chargedCredits, 100);
  const { consumeCredits: _, ...rest } = CALLBACK_SUCCESS_DATA;
  assert.equal(readKieTask({ ...rest, creditsConsumed: 55 }).chargedCredits, 55);
});

test("in-flight states: waiting/queuing (and the wait/queueing spellings) are queued; generating is running", () => {
  for (const state of ["waiting", "queuing", "wait", "queueing"])
    assert.equal(readKieTask({ state }).state, "queued");
  assert.equal(readKieTask({ state: "generating" }).state, "running");
});

test("errors as HTTP status and as HTTP 200 with a body code are classified alike", () => {
  const cases: [number, unknown, string, string][] = [
    [401, { code: 401, msg: "You do not have access permissions" }, "auth", "KIE_401"],
    [200, { code: 401, msg: "You do not have access permissions" }, "auth", "KIE_401"],
    [200, { code: 402, msg: "Insufficient Credits" }, "credits", "KIE_402"],
    [402, { code: 402, message: "Insufficient Credits" }, "credits", "KIE_402"],
    [200, { code: 433, msg: "sub-key limit" }, "credits", "KIE_433"],
    [429, { code: 429, msg: "Rate limit exceeded" }, "rate_limited", "KIE_429"],
    [200, { code: 429, msg: "Rate limit exceeded" }, "rate_limited", "KIE_429"],
    [200, { code: 422, msg: "input.prompt is required" }, "rejected", "KIE_422"],
    [200, { code: 455, msg: "maintenance" }, "transient", "KIE_455"],
    [500, { code: 500, msg: "Server Error" }, "transient", "KIE_500"],
    [503, undefined, "transient", "KIE_503"],
    [200, { code: 501, msg: "Generation Failed" }, "rejected", "KIE_501"],
  ];
  for (const [status, body, kind, code] of cases) {
    assert.throws(
      () => readKieEnvelope(res(status, body), "create"),
      { name: "ProviderError", kind, code },
      `${status} ${JSON.stringify(body)}`,
    );
  }
});

test("the message comes from msg or message, and Retry-After is honoured", () => {
  assert.throws(
    () =>
      readKieEnvelope(
        res(429, { code: 429, message: "Rate limit exceeded" }, { "retry-after": "7" }),
        "create",
      ),
    (e: Error & { retryAfterMs?: number }) => {
      assert.match(e.message, /Rate limit exceeded/);
      assert.equal(e.retryAfterMs, 7000);
      return true;
    },
  );
});

test("a 2xx without a readable envelope is an unknown outcome for a create, transient for a read", () => {
  assert.throws(() => readKieEnvelope(res(200, undefined), "create"), { kind: "unknown_outcome" });
  assert.throws(() => readKieEnvelope(res(200, undefined), "status"), { kind: "transient" });
  assert.throws(() => readKieTaskId({}), { kind: "unknown_outcome" });
});

test("404 on a status query means the task is not known; a bare 403 is an access problem", () => {
  assert.throws(() => readKieEnvelope(res(404, { code: 404, msg: "Task not found" }), "status"), {
    kind: "not_found",
  });
  assert.throws(() => readKieEnvelope(res(403, undefined), "create"), { kind: "auth" });
});

test("a success without a result URL is retried (transient), not taken as a finished video", () => {
  assert.throws(() => readKieTask({ state: "success", resultJson: "" }), { kind: "transient" });
});

test("provider text is flattened and bounded", () => {
  assert.throws(
    () => readKieEnvelope(res(200, { code: 422, msg: `bad\n\u0007input ${"x".repeat(1000)}` }), "create"),
    (e: Error) => {
      assert.ok(!e.message.includes("\n") && !e.message.includes("\u0007"));
      assert.ok(e.message.length < 520);
      return true;
    },
  );
});

test("a gateway 502/504 without KIE's envelope on a create is an unknown outcome (the task may exist)", () => {
  assert.throws(() => readKieEnvelope(res(504, undefined), "create"), {
    kind: "unknown_outcome",
    code: "KIE_GATEWAY_504",
  });
  assert.throws(() => readKieEnvelope(res(502, undefined), "create"), { kind: "unknown_outcome" });
  assert.throws(() => readKieEnvelope(res(502, undefined), "status"), { kind: "transient" });
  assert.throws(() => readKieEnvelope(res(500, { code: 500, msg: "Server Error" }), "create"), {
    kind: "transient",
  });
});

test("real-world KIE shapes: 'recordInfo is null' means not found (yet); numeric strings, resultJson objects, extra fields", () => {
  assert.throws(
    () => readKieEnvelope(res(200, { code: 422, msg: "recordInfo is null", data: null }), "status"),
    {
      kind: "not_found",
    },
  );
  assert.throws(
    () => readKieEnvelope(res(200, { code: 422, msg: "recordInfo is null", data: null }), "create"),
    {
      kind: "rejected",
    },
  );
  assert.equal(readKieTaskId({ taskId: "t1", recordId: "r9" }), "t1");
  const done = readKieTask({
    taskId: "t1",
    state: "success",
    resultJson: { resultUrls: ["https://tempfile.aiquickdraw.com/v.mp4"] },
    consumeCredits: "570",
    costTime: 89,
  });
  assert.deepEqual(
    [done.state, done.videoUrl, done.chargedCredits],
    ["succeeded", "https://tempfile.aiquickdraw.com/v.mp4", 570],
  );
});
