import assert from "node:assert/strict";
import { createWireflowProvider } from "../../../src/providers/wireflow/create-wireflow-provider.js";
import { test } from "../../helpers/leaks.js";
import { serve } from "../../helpers/serve.js";

const DESCRIBE = {
  data: {
    workflowId: "wf",
    workflowName: "W",
    inputs: [{ nodeId: "p", label: "Prompt", type: "text", required: true }],
  },
};
const ESTIMATE = { data: { estimatedCredits: 20, estimatedProviderCostUsd: 0.35 } };

test("wireflow: after a lost answer, a replay refused for any reason leaves the run unknown, never 'refused'", async (t) => {
  const keys: string[] = [];
  const url = await serve(t, (req, res) => {
    const json = (status: number, body: unknown) =>
      res.writeHead(status, { "content-type": "application/json" }).end(JSON.stringify(body));
    if (req.method === "GET") return json(200, DESCRIBE);
    if (req.url?.endsWith("/estimate")) return json(200, ESTIMATE);
    keys.push(String(req.headers["idempotency-key"]));
    if (keys.length === 1) {
      req.socket.destroy(); // the run may have started; its answer is lost
      return;
    }
    json(400, { error: "inputs must be an object" }); // a replay answered with a refusal
  });
  const provider = await createWireflowProvider({
    apiKey: "sk-test-replay-key",
    workflowId: "wf",
    baseUrl: url,
    replayDelaysMs: [1, 1],
  });
  await assert.rejects(provider.createTask({ inputs: { p: "A lake" } }, { externalId: "vb-b-r-1" }), {
    kind: "unknown_outcome",
  });
  assert.deepEqual(keys, ["vb-b-r-1", "vb-b-r-1", "vb-b-r-1"], "every try carried the same key");
});

test("wireflow: a run that COMPLETED with no video fails its row but is charged (details' credits, else the estimate)", async (t) => {
  let details: "credits" | "none" | "down" = "credits";
  const url = await serve(t, (req, res) => {
    const json = (status: number, body: unknown) =>
      res.writeHead(status, { "content-type": "application/json" }).end(JSON.stringify(body));
    if (req.url?.endsWith("/poll"))
      return json(200, { data: { status: "COMPLETED", nodeResults: { nodeRuns: [] } } });
    if (req.url?.includes("/executions/")) {
      if (details === "down") return json(500, { error: "Internal error" });
      return json(200, {
        data: { status: "COMPLETED", ...(details === "credits" ? { creditsUsed: 12 } : {}) },
      });
    }
    if (req.method === "GET") return json(200, DESCRIBE);
    return json(200, ESTIMATE);
  });
  const provider = await createWireflowProvider({
    apiKey: "sk-test-charge-key",
    workflowId: "wf",
    baseUrl: url,
  });
  const task = { taskId: "exec_1", request: { inputs: { p: "A lake" } } };
  const used = await provider.getTask(task);
  assert.deepEqual(
    [used.state, used.errorCode, used.chargedCredits, used.chargedUsd],
    ["failed", "WIREFLOW_NO_OUTPUT", 12, undefined],
  );
  for (const answer of ["none", "down"] as const) {
    details = answer;
    const estimated = await provider.getTask(task);
    assert.deepEqual([estimated.chargedCredits, estimated.chargedUsd], [20, undefined], answer);
  }
});
