import { randomBytes } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import { resultFileUrl, type SimContext, type SimState } from "./sim-context.js";
import { dropConnection, finishCreate, readJsonBody, sendJson } from "./sim-http.js";
import { observeSimJob, readyAt, type SimJob, startSimJob } from "./sim-job.js";
import type { SimRateWindow } from "./sim-rate-window.js";
import {
  describeWorkflow,
  estimateWorkflow,
  invalidInputs,
  SIM_WORKFLOWS,
  type SimWorkflow,
} from "./sim-workflows.js";
import { createWireflowGate } from "./wireflow-sim-gate.js";
import { createWireflowMedia, wireflowImagesProblem } from "./wireflow-sim-media.js";
import { detailsAnswer, type ExecutionStatus, pollAnswer } from "./wireflow-sim-shapes.js";

const DAY_MS = 24 * 3_600_000;

interface Execution {
  id: string;
  workflow: SimWorkflow;
  job: SimJob;
  variant: number;
  startedAt: number;
}

/**
 * Wireflow's API as docs/provider-contracts.md (Wireflow) describes it: `GET/POST /workflows/{id}/run`,
 * `/estimate`, `/workflows/executions/{id}/poll` (answered with and without the `data` wrapper,
 * final output in `finalOutput.url` or only in node results), both error envelopes, 402 with the
 * required and available credits, and per-key rate limits with X-RateLimit-* headers on every
 * answer and Retry-After on (most) 429s.
 */
export function createWireflowSim(ctx: SimContext) {
  const executions = new Map<string, Execution>();
  const executionWindows = new Map<string, SimRateWindow>();
  /** Answers to runs sent with an Idempotency-Key, per API key and idempotency key. */
  const replays = new Map<string, { at: number; body: unknown }>();
  let variant = 0;
  /** Executions started per key on the current UTC day (for the plan's daily cap). */
  const todays = new Map<string, { day: number; count: number }>();
  const dayOf = (ms: number) => Math.floor(ms / DAY_MS);
  const countToday = (key: string, now: number) => {
    const entry = todays.get(key);
    if (entry && entry.day === dayOf(now)) entry.count++;
    else todays.set(key, { day: dayOf(now), count: 1 });
  };

  const { windowOf, fail, admit } = createWireflowGate(ctx);
  const media = createWireflowMedia(ctx, fail);

  const workflowOf = (id: string) => SIM_WORKFLOWS.find((w) => w.id === id);

  function describe(workflow: SimWorkflow, headers: Record<string, string>, res: ServerResponse): void {
    sendJson(res, 200, { data: describeWorkflow(workflow) }, headers);
  }

  function estimate(workflow: SimWorkflow, headers: Record<string, string>, res: ServerResponse): void {
    sendJson(res, 200, { data: estimateWorkflow(workflow, ctx.credits.balance) }, headers);
  }

  async function run(
    workflow: SimWorkflow,
    key: string,
    headers: Record<string, string>,
    req: IncomingMessage,
    res: ServerResponse,
  ): Promise<void> {
    const opts = ctx.options();
    // "Identical keys within 24 hours replay the original response without running the workflow
    // again": a replay is answered before any limit or charge, and may itself be lost.
    const idempotencyKey =
      typeof req.headers["idempotency-key"] === "string" ? req.headers["idempotency-key"] : undefined;
    const replay = idempotencyKey ? replays.get(`${key} ${idempotencyKey}`) : undefined;
    if (replay && Date.now() - replay.at < 24 * 3_600_000) {
      ctx.stats.count("wireflow.run.replayed");
      await readJsonBody(req).catch(() => undefined);
      finishCreate(ctx, "wireflow", req, res, () => sendJson(res, 202, replay.body, headers));
      return;
    }
    let body: unknown;
    try {
      body = await readJsonBody(req);
    } catch {
      fail(res, 400, "Request body must be JSON", "invalid_request_error", headers);
      return;
    }
    const now = Date.now();
    const daily = opts.wireflow.dailyExecutions;
    if (
      daily !== undefined &&
      (todays.get(key)?.count ?? 0) >= daily &&
      todays.get(key)?.day === dayOf(now)
    ) {
      ctx.stats.count("wireflow.run.daily-429");
      const reset = Math.ceil((Math.floor(now / DAY_MS) + 1) * (DAY_MS / 1000));
      fail(
        res,
        429,
        `Daily execution limit reached (${daily} per day on your plan). Resets at midnight UTC.`,
        "rate_limit_error",
        { ...headers, "x-ratelimit-reset": String(reset) },
        { retryAfter: reset },
      );
      return;
    }
    if (
      ctx.random() < opts.faults.create429Rate ||
      !windowOf(executionWindows, key, opts.wireflow.executionsPerMinute).tryTake(now)
    ) {
      ctx.stats.count("wireflow.run.429");
      fail(
        res,
        429,
        "Too many workflow executions. Please try again later.",
        "rate_limit_error",
        { ...headers, "retry-after": "2" },
        { retryAfter: Math.ceil(now / 1000) + 2 },
      );
      return;
    }
    const invalid = invalidInputs(workflow, body) ?? wireflowImagesProblem(ctx, workflow, body);
    if (invalid) {
      fail(res, 400, invalid, "invalid_request_error", headers);
      return;
    }
    if (ctx.random() < opts.faults.create5xxRate) {
      fail(res, 500, "Internal server error", "api_error", headers);
      return;
    }
    if (ctx.credits.balance < workflow.credits) {
      fail(
        res,
        402,
        `Insufficient credits. Required: ${workflow.credits}, Available: ${ctx.credits.balance}`,
        "insufficient_credits_error",
        headers,
        {
          insufficientCredits: true,
          requiredCredits: workflow.credits,
          availableCredits: ctx.credits.balance,
          breakdown: [{ nodeId: "node-video", nodeLabel: "Kling 2.6", credits: workflow.credits }],
        },
      );
      return;
    }
    const inputs = (body as { inputs: Record<string, unknown> }).inputs;
    const prompt = String(inputs["node-prompt"] ?? inputs["node-scene"] ?? "");
    const id = `exec_${randomBytes(8).toString("hex")}`;
    const execution: Execution = {
      id,
      workflow,
      job: startSimJob(ctx, id, prompt, workflow.chargedCredits ?? workflow.credits, now),
      variant: variant++,
      startedAt: now,
    };
    countToday(key, now);
    executions.set(execution.id, execution);
    ctx.changed();
    if (idempotencyKey)
      replays.set(`${key} ${idempotencyKey}`, {
        at: now,
        body: { data: { executionId: execution.id, status: "RUNNING" } },
      });
    finishCreate(ctx, "wireflow", req, res, () =>
      sendJson(res, 202, { data: { executionId: execution.id, status: "RUNNING" } }, headers),
    );
  }

  function poll(
    id: string,
    headers: Record<string, string>,
    req: IncomingMessage,
    res: ServerResponse,
  ): void {
    const opts = ctx.options();
    ctx.stats.count("wireflow.status");
    if (ctx.random() < opts.faults.statusDropRate) {
      dropConnection(req);
      return;
    }
    if (ctx.random() < opts.faults.status5xxRate) {
      fail(res, 500, "Internal server error", "api_error", headers);
      return;
    }
    const execution = executions.get(id);
    if (!execution) {
      fail(res, 404, "Execution not found", "invalid_request_error", headers);
      return;
    }
    const now = Date.now();
    const status = statusOf(execution, now);
    const url = resultFileUrl(ctx, execution.id, readyAt(execution.job));
    sendJson(
      res,
      200,
      pollAnswer({ status, url, prompt: execution.job.prompt, variant: execution.variant }),
      headers,
    );
  }

  function statusOf(execution: Execution, now: number): ExecutionStatus {
    const phase = observeSimJob(ctx, "wireflow", execution.job, now);
    return phase === "running" ? "RUNNING" : phase === "failed" ? "FAILED" : "COMPLETED";
  }

  function details(id: string, headers: Record<string, string>, res: ServerResponse): void {
    ctx.stats.count("wireflow.details");
    const execution = executions.get(id);
    if (!execution) {
      fail(res, 404, "Execution not found", "invalid_request_error", headers);
      return;
    }
    const status = statusOf(execution, Date.now());
    const w = execution.workflow;
    const credits =
      ctx.options().reportedCharge ?? (status === "COMPLETED" ? (w.chargedCredits ?? w.credits) : 0);
    sendJson(
      res,
      200,
      detailsAnswer(id, w.id, status, credits, execution.startedAt, execution.variant),
      headers,
    );
  }

  return {
    hasTask: (id: string) => executions.has(id),
    state: {
      save: () => ({ executions: [...executions.values()], replays: [...replays] }),
      load(data) {
        const saved = data as { executions: Execution[]; replays: [string, { at: number; body: unknown }][] };
        for (const execution of saved.executions) executions.set(execution.id, execution);
        for (const [key, replay] of saved.replays) replays.set(key, replay);
      },
    } satisfies SimState,
    async handle(req: IncomingMessage, res: ServerResponse, url: URL): Promise<boolean> {
      const path = url.pathname;
      if (await media.put(req, res, url)) return true;
      if (!path.startsWith("/api/v1/workflows/") && !path.startsWith("/api/v1/media/")) return false;
      const admitted = admit(req, res);
      if (!admitted) return true;
      const { key, headers } = admitted;
      if (path.startsWith("/api/v1/media/")) {
        if (!(await media.handle(path, req, res, headers)))
          fail(res, 404, "Not found", "invalid_request_error", headers);
        return true;
      }
      const poller = /^\/api\/v1\/workflows\/executions\/([^/]+)(\/poll)?$/.exec(path);
      if (poller?.[1] && req.method === "GET") {
        if (poller[2]) poll(decodeURIComponent(poller[1]), headers, req, res);
        else details(decodeURIComponent(poller[1]), headers, res);
        return true;
      }
      const m = /^\/api\/v1\/workflows\/([^/]+)\/(run|estimate)$/.exec(path);
      const workflow = m?.[1] ? workflowOf(decodeURIComponent(m[1])) : undefined;
      if (!m || !workflow) {
        fail(res, 404, m ? "Workflow not found" : "Not found", "invalid_request_error", headers);
        return true;
      }
      if (m[2] === "run" && req.method === "GET") describe(workflow, headers, res);
      else if (m[2] === "run" && req.method === "POST") await run(workflow, key, headers, req, res);
      else if (m[2] === "estimate" && req.method === "POST") estimate(workflow, headers, res);
      else fail(res, 404, "Not found", "invalid_request_error", headers);
      return true;
    },
  };
}
