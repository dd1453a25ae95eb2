import assert from "node:assert/strict";
import type { HttpResponse } from "../../../src/providers/http-client.js";
import {
  classifyKlingCode,
  readKlingBalance,
  readKlingEnvelope,
  readKlingTask,
  readKlingTaskId,
} from "../../../src/providers/kling/kling-response.js";
import type { ProviderError } from "../../../src/providers/provider-error.js";
import { test } from "../../helpers/leaks.js";

const res = (status: number, body: unknown, headers: Record<string, string> = {}): HttpResponse => ({
  status,
  headers,
  body,
  text: JSON.stringify(body),
});

// Documented bodies, verbatim from the Kling docs (docs/provider-contracts.md, Kling).
const CREATE_DOC = {
  code: 0,
  message: "string",
  request_id: "string",
  data: {
    task_id: "string",
    task_status: "submitted",
    task_info: { external_task_id: "string" },
    created_at: 1722769557708,
    updated_at: 1722769557708,
  },
};
const QUERY_DOC = {
  code: 0,
  message: "string",
  request_id: "string",
  data: {
    task_id: "string",
    task_status: "submitted|processing|succeed|failed",
    task_status_msg: "string",
    task_info: { external_task_id: "string" },
    watermark_info: { enabled: false },
    final_unit_deduction: "string",
    created_at: 1722769557708,
    updated_at: 1722769557708,
    task_result: { videos: [{ id: "string", url: "string", watermark_url: "string", duration: "string" }] },
  },
};
const ERROR_1303_DOC = {
  code: 1303,
  message: "parallel task over resource pack limit",
  request_id: "9984d27b-...",
};
const COSTS_DOC = {
  code: 0,
  message: "string",
  request_id: "string",
  data: {
    code: 0,
    msg: "string",
    resource_pack_subscribe_infos: [
      {
        resource_pack_name: "Video Generation - 10,000 entries",
        resource_pack_id: "509f3...",
        resource_pack_type: "decreasing_total|constant_period",
        total_quantity: 200.0,
        remaining_quantity: 118.0,
        purchase_time: 1726124664368,
        effective_time: 1726124664368,
        invalid_time: 1727366400000,
        status: "toBeOnline|online|expired|runOut",
      },
    ],
  },
};

/** The documented query body with one status filled in (the doc lists them all in one string). */
function queryWith(status: string, patch: Record<string, unknown> = {}) {
  return { ...QUERY_DOC.data, task_status: status, ...patch };
}

test("the documented create answer gives the task id; the real sample's numeric string id too", () => {
  const data = readKlingEnvelope(res(200, CREATE_DOC), "create");
  assert.equal(readKlingTaskId(data), "string");
  const real = {
    ...CREATE_DOC,
    message: "SUCCEED",
    data: { ...CREATE_DOC.data, task_id: "867283741759111202" },
  };
  assert.equal(readKlingTaskId(readKlingEnvelope(res(200, real), "create")), "867283741759111202");
  assert.throws(
    () => readKlingTaskId({ task_status: "submitted" }),
    (e: ProviderError) => e.kind === "unknown_outcome",
  );
});

test("the documented query answer maps each legacy status; video, failure text and unit deduction are read", () => {
  const data = readKlingEnvelope(res(200, QUERY_DOC), "status");
  const doc = readKlingTask(data);
  assert.equal(doc?.taskId, "string");
  assert.equal(doc?.externalTaskId, "string");
  assert.equal(doc?.snapshot.state, "running"); // the doc's placeholder is no status we know: keep polling

  assert.equal(readKlingTask(queryWith("submitted"))?.snapshot.state, "queued");
  assert.equal(readKlingTask(queryWith("processing"))?.snapshot.state, "running");

  const done = readKlingTask(queryWith("succeed", { final_unit_deduction: "2.5" }))?.snapshot;
  assert.equal(done?.state, "succeeded");
  assert.equal(done?.videoUrl, "string");
  assert.equal(done?.chargedCredits, 2.5);
  assert.equal(readKlingTask(queryWith("succeeded"))?.snapshot.state, "succeeded"); // new-standard spelling

  const failed = readKlingTask(
    queryWith("failed", {
      task_status_msg: "Content moderation review failed.",
      task_result: { videos: [] },
    }),
  )?.snapshot;
  assert.equal(failed?.state, "failed");
  assert.equal(failed?.errorMessage, "Content moderation review failed.");

  // "string" is not a number: no charge is invented from the placeholder.
  assert.equal(readKlingTask(queryWith("succeed"))?.snapshot.chargedCredits, undefined);
  assert.throws(
    () => readKlingTask(queryWith("succeed", { task_result: { videos: [] } })),
    (e: ProviderError) => e.kind === "transient",
  );
});

test("a query by external id may answer one task or a list; an empty list is no task", () => {
  const list = readKlingTask([queryWith("processing", { task_id: "42" })]);
  assert.equal(list?.taskId, "42");
  assert.equal(readKlingTask([]), undefined);
});

test("the documented error body and code table decide what the engine does", () => {
  assert.throws(
    () => readKlingEnvelope(res(429, ERROR_1303_DOC), "create"),
    (e: ProviderError) =>
      e.kind === "rate_limited" &&
      e.code === "KLING_1303" &&
      e.message.includes("parallel task over resource pack limit") &&
      e.message.includes("9984d27b-...") &&
      (e.retryAfterMs ?? 0) >= 1000,
  );
  const expect: [number, string][] = [
    [1000, "auth"],
    [1001, "auth"],
    [1002, "auth"],
    [1003, "auth"],
    [1004, "auth"],
    [1100, "credits"],
    [1101, "credits"],
    [1102, "credits"],
    [1103, "auth"],
    [1200, "rejected"],
    [1201, "rejected"],
    [1202, "rejected"],
    [1203, "rejected"],
    [1300, "rejected"],
    [1301, "rejected"],
    [1302, "rate_limited"],
    [1303, "rate_limited"],
    [1304, "auth"],
    [5000, "transient"],
    [5001, "transient"],
    [5002, "unknown_outcome"],
  ];
  for (const [code, kind] of expect) assert.equal(classifyKlingCode(code, "create"), kind, `code ${code}`);
  assert.equal(classifyKlingCode(1203, "status"), "not_found");
  assert.equal(classifyKlingCode(5002, "status"), "transient");
  assert.throws(
    () =>
      readKlingEnvelope(
        res(401, { code: 1004, message: "Authorization has expired", request_id: "r" }),
        "status",
      ),
    (e: ProviderError) => e.kind === "auth" && /clock/.test(e.message),
  );
  assert.throws(
    () =>
      readKlingEnvelope(
        res(429, { code: 1102, message: "Resource pack exhausted", request_id: "r" }),
        "create",
      ),
    (e: ProviderError) => e.kind === "credits" && /run the same command again/.test(e.message),
  );
});

test("answers without Kling's envelope: a gateway error on a create is an unknown outcome", () => {
  const bare = (status: number, call: "create" | "status") => {
    try {
      readKlingEnvelope(res(status, undefined), call);
    } catch (e) {
      return (e as ProviderError).kind;
    }
    return "ok";
  };
  assert.equal(bare(502, "create"), "unknown_outcome");
  assert.equal(bare(504, "create"), "unknown_outcome");
  assert.equal(bare(200, "create"), "unknown_outcome");
  assert.equal(bare(503, "create"), "transient");
  assert.equal(bare(502, "status"), "transient");
  assert.equal(bare(404, "status"), "not_found");
  assert.equal(bare(403, "status"), "auth");
});

test("the documented /account/costs answer: only online packs count", () => {
  const data = readKlingEnvelope(res(200, COSTS_DOC), "account");
  assert.equal(readKlingBalance(data), 0); // the doc's status placeholder is not "online"
  const pack = COSTS_DOC.data.resource_pack_subscribe_infos[0];
  const live = {
    resource_pack_subscribe_infos: [
      { ...pack, status: "online" },
      { ...pack, status: "expired", remaining_quantity: 50 },
      { ...pack, status: "online", remaining_quantity: 2 },
    ],
  };
  assert.equal(readKlingBalance(live), 120);
  assert.equal(readKlingBalance({}), undefined);
});
