import assert from "node:assert/strict";
import type { HttpResponse } from "../../../src/providers/http-client.js";
import type { ProviderError } from "../../../src/providers/provider-error.js";
import { RateLimitGate } from "../../../src/providers/rate-limit-gate.js";
import { readExecution, readExecutionCredits } from "../../../src/providers/wireflow/wireflow-execution.js";
import {
  readExecutionId,
  readWireflowResponse,
  readWorkflowEstimate,
  retryAfterOf,
} from "../../../src/providers/wireflow/wireflow-response.js";
import { test } from "../../helpers/leaks.js";

const res = (status: number, body: unknown, headers: Record<string, string> = {}): HttpResponse => ({
  status,
  headers,
  body,
  text: JSON.stringify(body),
});

// Documented bodies, verbatim from the Wireflow docs (docs/provider-contracts.md, Wireflow).
const RUN_ACCEPTED = { data: { executionId: "exec_456", status: "RUNNING" } };
const POLL_COMPLETED = {
  data: {
    status: "COMPLETED",
    nodeResults: { nodeRuns: [] },
    finalOutput: { url: "https://cdn.wireflow.ai/..." },
  },
};
const POLL_UNWRAPPED = { status: "COMPLETED", nodeResults: { nodeRuns: [] } };
const EXECUTE_NODE_RUN = {
  nodeId: "node-1",
  status: "COMPLETED",
  output: { images: [{ url: "https://cdn.atomu.ai/..." }] },
};
const ERROR_402 = {
  error: "Insufficient credits. Required: 10, Available: 3",
  insufficientCredits: true,
  requiredCredits: 10,
  availableCredits: 3,
  breakdown: [{ nodeId: "node-1", nodeLabel: "Text to Image", credits: 10 }],
};
const ERROR_429 = { error: "Too many workflow executions. Please try again later.", retryAfter: 1711036800 };

test("the documented run answer (202, data wrapper) gives the execution id", () => {
  assert.equal(readExecutionId(readWireflowResponse(res(202, RUN_ACCEPTED), "create")), "exec_456");
  assert.equal(
    readExecutionId(readWireflowResponse(res(202, { executionId: "exec_7" }), "create")),
    "exec_7",
  );
  assert.throws(
    () => readExecutionId(readWireflowResponse(res(202, { data: { status: "RUNNING" } }), "create")),
    (e: ProviderError) => e.kind === "unknown_outcome",
  );
});

test("documented poll answers, with and without the data wrapper; the video from finalOutput or node results", () => {
  const done = readExecution(readWireflowResponse(res(200, POLL_COMPLETED), "status"));
  assert.deepEqual(done, {
    state: "succeeded",
    providerState: "COMPLETED",
    videoUrl: "https://cdn.wireflow.ai/...",
  });
  // Unwrapped and without finalOutput or node output: COMPLETED with no video anywhere is a row
  // error naming what the answer held (issue 9), not something to poll until --task-timeout.
  const empty = readExecution(readWireflowResponse(res(200, POLL_UNWRAPPED), "status"));
  assert.equal(empty.state, "failed");
  assert.equal(empty.errorCode, "WIREFLOW_NO_OUTPUT");
  assert.match(
    empty.errorMessage ?? "",
    /COMPLETED but its answer holds no video URL \(keys: status, nodeResults\{nodeRuns\}\)/,
  );
  const fromNodes = readExecution({
    status: "COMPLETED",
    nodeResults: {
      nodeRuns: [
        EXECUTE_NODE_RUN,
        { nodeId: "node-2", status: "COMPLETED", output: { videos: [{ url: "https://cdn/v.mp4" }] } },
      ],
    },
  });
  assert.equal(fromNodes.videoUrl, "https://cdn/v.mp4");
  const fromStates = readExecution({
    status: "COMPLETED",
    nodeStates: [{ nodeId: "n", label: "Video", status: "COMPLETED", outputUrls: ["https://cdn/a.webm"] }],
  });
  assert.equal(fromStates.videoUrl, "https://cdn/a.webm");
  assert.equal(readExecution({ status: "RUNNING" }).state, "running");
  const failed = readExecution({
    status: "FAILED",
    nodeStates: [{ nodeId: "n2", label: "Kling", status: "FAILED", error: "Content policy violation" }],
  });
  assert.deepEqual([failed.state, failed.errorMessage], ["failed", "Kling: Content policy violation"]);
  const cancelled = readExecution({ status: "CANCELLED" });
  assert.deepEqual([cancelled.state, cancelled.errorCode], ["failed", "CANCELLED"]);
});

test("the documented 402 stops the run with the required and available credits", () => {
  assert.throws(
    () => readWireflowResponse(res(402, ERROR_402), "create"),
    (e: ProviderError) =>
      e.kind === "credits" &&
      /needs 10, the account has 3/.test(e.message) &&
      /run the same command again/.test(e.message),
  );
});

test("both error envelopes and every documented status are classified", () => {
  const kind = (status: number, body: unknown, call: "create" | "status" = "create") => {
    try {
      readWireflowResponse(res(status, body), call);
    } catch (e) {
      return [(e as ProviderError).kind, (e as ProviderError).message];
    }
    return ["ok", ""];
  };
  assert.deepEqual(kind(401, { error: "Invalid API key" })[0], "auth");
  assert.match(String(kind(401, { error: "API key has expired" })[1]), /API key has expired/);
  const stripe = {
    error: { type: "invalid_request_error", message: "inputs must be an object", code: "invalid_inputs" },
  };
  assert.deepEqual(kind(400, stripe), ["rejected", "Wireflow error 400: inputs must be an object"]);
  assert.equal(
    kind(402, { error: { type: "insufficient_credits_error", message: "no credits" } })[0],
    "credits",
  );
  assert.equal(kind(403, { error: "Missing scope workflows:execute" })[0], "auth");
  assert.equal(kind(404, { error: "Execution not found" }, "status")[0], "not_found");
  assert.equal(kind(409, { error: { type: "api_error", message: "stale_write" } })[0], "transient");
  assert.equal(kind(413, { error: "Body over 256KB" })[0], "rejected");
  assert.equal(kind(422, { error: "invalid_graph", violations: [] })[0], "rejected");
  assert.equal(kind(500, { error: "Internal error" })[0], "transient");
  assert.equal(kind(502, undefined)[0], "unknown_outcome");
  assert.equal(kind(502, undefined, "status")[0], "transient");
});

test("429: Retry-After first, then X-RateLimit-Reset, then the body's absolute retryAfter", () => {
  const now = 1711036790_000;
  assert.equal(retryAfterOf(res(429, ERROR_429, { "retry-after": "4" }), now), 4000);
  assert.equal(retryAfterOf(res(429, ERROR_429, { "x-ratelimit-reset": "1711036795" }), now), 5000);
  assert.equal(retryAfterOf(res(429, ERROR_429), now), 10_000);
  assert.throws(
    () => readWireflowResponse(res(429, ERROR_429, { "retry-after": "4" }), "create"),
    (e: ProviderError) => e.kind === "rate_limited" && e.retryAfterMs === 4000,
  );
});

test("the rate-limit gate waits for the reset once X-RateLimit-Remaining reaches 0", () => {
  const gate = new RateLimitGate();
  const now = 1_800_000_000_000;
  gate.observe({ "x-ratelimit-remaining": "3", "x-ratelimit-reset": String(now / 1000 + 30) }, now);
  assert.equal(gate.waitTime(now), 0);
  gate.observe({ "x-ratelimit-remaining": "0", "x-ratelimit-reset": String(now / 1000 + 30) }, now);
  assert.equal(gate.waitTime(now), 30_000);
  assert.equal(gate.waitTime(now + 31_000), 0);
});

test("the estimate's documented fields are read", () => {
  const e = readWorkflowEstimate({
    workflowId: "cm1abc123",
    estimatedCredits: 20,
    estimatedProviderCostUsd: 0.35,
    availableCredits: 100,
    creditSource: "subscription",
    sufficient: true,
    estimateComplete: false,
    breakdown: [],
    warnings: ["iterator size unknown"],
  });
  assert.deepEqual(e, {
    credits: 20,
    providerCostUsd: 0.35,
    availableCredits: 100,
    sufficient: true,
    complete: false,
    warnings: ["iterator size unknown"],
  });
});

test("the guide's nodeOutputs map and the /execute 201 answer are read; a failed request names its X-Request-Id", () => {
  const guide = readExecution({
    status: "completed",
    nodeOutputs: { "kling-1": { video: "https://cdn.wireflow.ai/k.mp4" } },
  });
  assert.deepEqual([guide.state, guide.videoUrl], ["succeeded", "https://cdn.wireflow.ai/k.mp4"]);
  const nested = readExecution({
    status: "COMPLETED",
    nodeOutputs: { "kling-1": { video: { url: "https://cdn/n.mp4" } } },
  });
  assert.equal(nested.videoUrl, "https://cdn/n.mp4");
  const execute = {
    workflowId: "cm1abc123",
    batchId: "550e8400",
    executionRuns: [
      {
        id: "exec_456",
        startTime: "2026-01-01",
        endTime: null,
        status: "RUNNING",
        error: null,
        nodeRuns: [],
      },
    ],
  };
  assert.equal(readExecutionId(readWireflowResponse(res(201, execute), "create")), "exec_456");
  assert.throws(
    () => readWireflowResponse(res(400, { error: "bad inputs" }, { "x-request-id": "req_7f3a" }), "create"),
    /Wireflow error 400: bad inputs \(request req_7f3a\)/,
  );
});

test("an execution's credit usage: a total, or the sum over its node runs; nothing when neither is there", () => {
  assert.equal(readExecutionCredits({ id: "exec_1", status: "COMPLETED", creditsUsed: 36 }), 36);
  assert.equal(readExecutionCredits({ status: "COMPLETED", creditUsage: { total: "12.5" } }), 12.5);
  assert.equal(
    readExecutionCredits({
      status: "COMPLETED",
      nodeRuns: [
        { nodeId: "node-prompt", credits: 0 },
        { nodeId: "node-video", credits: 30 },
      ],
    }),
    undefined, // nodeRuns at the top level is not a documented place for node results
  );
  assert.equal(
    readExecutionCredits({
      status: "COMPLETED",
      nodeResults: {
        nodeRuns: [
          { nodeId: "a", creditsUsed: 4 },
          { nodeId: "b", creditsUsed: 30 },
        ],
      },
    }),
    34,
  );
  assert.equal(
    readExecutionCredits({ status: "COMPLETED", startTime: "2025-03-20T12:01:00.000Z" }),
    undefined,
  );
});

test("a 429 on a run for the daily execution cap stops submitting with the reset time; the per-minute one waits", () => {
  const now = Date.now();
  const daily = {
    status: 429,
    headers: { "x-ratelimit-reset": String(Math.ceil(now / 1000) + 5 * 3600) },
    body: { error: "Daily execution limit reached (50 per day on the Free plan)" },
  } as unknown as HttpResponse;
  assert.throws(
    () => readWireflowResponse(daily, "create"),
    (e: ProviderError) =>
      e.kind === "quota" &&
      /daily execution limit is reached .*; it resets at \d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ/.test(e.message),
  );
  const minute = { status: 429, headers: { "retry-after": "2" }, body: ERROR_429 } as unknown as HttpResponse;
  assert.throws(
    () => readWireflowResponse(minute, "create"),
    (e: ProviderError) => e.kind === "rate_limited",
  );
});

test("after a reset, one request finds out what the new window allows and the others wait for its answer (no burst into 429s)", async () => {
  const gate = new RateLimitGate();
  const now = Date.now();
  gate.observe(
    { "x-ratelimit-remaining": "0", "x-ratelimit-reset": String(Math.floor(now / 1000) - 1) },
    now,
  );
  const order: string[] = [];
  await gate.wait();
  order.push("probe");
  const second = gate.wait().then(() => order.push("second"));
  await new Promise((r) => setTimeout(r, 300));
  assert.deepEqual(order, ["probe"], "the second waits for the probe's answer");
  gate.observe({ "x-ratelimit-remaining": "5", "x-ratelimit-reset": String(Math.floor(now / 1000) + 60) });
  await second;
  assert.deepEqual(order, ["probe", "second"]);
});
