import { randomBytes } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import { forgedKieCallback } from "./kie-sim-forged.js";
import { SIM_KIE_MODELS, validateKieCallbackUrl } from "./kie-sim-models.js";
import { createKieUploads, kieImagesProblem } from "./kie-sim-uploads.js";
import { resultFileUrl, type SimContext, type SimState } from "./sim-context.js";
import { bearerToken, dropConnection, finishCreate, readJsonBody, sendJson } from "./sim-http.js";
import { observeSimJob, progressOf, readyAt, type SimJob, startSimJob } from "./sim-job.js";
import { SimRateWindow } from "./sim-rate-window.js";

interface SimTask {
  taskId: string;
  model: string;
  param: string;
  job: SimJob;
  failCode: string;
  failMsg: string;
  /** Alternates the documented response variants per task. */
  variant: number;
}

/**
 * KIE.AI's market jobs API as docs/provider-contracts.md (KIE) describes it: createTask with the kling-2.6
 * schemas, recordInfo walking waiting → queuing → generating → success|fail, the credit balance,
 * download-url, both error styles (HTTP status, or HTTP 200 with a body code), `msg` and `message`,
 * `consumeCredits` and `creditsConsumed`, and the documented rate limits.
 */
export function createKieSim(ctx: SimContext) {
  const tasks = new Map<string, SimTask>();
  const createWindows = new Map<string, SimRateWindow>();
  const statusWindows = new Map<string, SimRateWindow>();
  let variantCounter = 0;
  let unknownAnswers = 0;

  const error = (res: ServerResponse, code: number, msg: string, headers: Record<string, string> = {}) => {
    const style = ctx.options().errorStyle;
    const asBody = style === "body" || (style === "mixed" && ctx.random() < 0.5);
    const text = ctx.random() < 0.5 ? { msg } : { message: msg };
    if (asBody) ctx.stats.count("kie.errorAsHttp200");
    if (asBody) sendJson(res, 200, { code, ...text, data: null });
    else sendJson(res, code, { code, ...text }, headers);
  };

  const authorized = (req: IncomingMessage, res: ServerResponse): string | undefined => {
    const token = bearerToken(req);
    const required = ctx.options().apiKey;
    if (!token || (required !== undefined && token !== required)) {
      ctx.stats.count("kie.unauthorized");
      error(res, 401, "You do not have access permissions");
      return undefined;
    }
    return token;
  };

  const uploads = createKieUploads(ctx, authorized);

  const windowFor = (map: Map<string, SimRateWindow>, key: string, max: number, ms: number) => {
    let w = map.get(key);
    if (!w || w.max !== max || w.windowMs !== ms) {
      w = new SimRateWindow(max, ms);
      map.set(key, w);
    }
    return w;
  };

  function validate(body: unknown): string | undefined {
    const b = body as { model?: unknown; input?: Record<string, unknown> } | undefined;
    if (!b || typeof b !== "object") return "request body must be JSON";
    const model = typeof b.model === "string" ? SIM_KIE_MODELS[b.model] : undefined;
    if (!model) return `model must be one of ${Object.keys(SIM_KIE_MODELS).join(", ")}`;
    if (!b.input || typeof b.input !== "object") return "input is required";
    return model.validate(b.input) ?? kieImagesProblem(ctx, b.input, b.model as string);
  }

  async function createTask(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const key = authorized(req, res);
    if (!key) return;
    const opts = ctx.options();
    let body: unknown;
    try {
      body = await readJsonBody(req);
    } catch {
      error(res, 422, "request body must be JSON");
      return;
    }
    const window = windowFor(createWindows, key, opts.createLimit.max, opts.createLimit.windowMs);
    const now = Date.now();
    if (ctx.random() < opts.faults.create429Rate || !window.tryTake(now)) {
      ctx.stats.count("kie.create.429");
      const retryAfter = Math.max(1, Math.ceil(window.waitTime(now) / 1000));
      error(res, 429, "Rate limit exceeded", { "retry-after": String(retryAfter) });
      return;
    }
    const invalid = validate(body) ?? validateKieCallbackUrl((body as { callBackUrl?: unknown }).callBackUrl);
    if (invalid) {
      ctx.stats.count("kie.create.422");
      error(res, 422, invalid);
      return;
    }
    if (ctx.random() < opts.faults.create5xxRate) {
      ctx.stats.count("kie.create.500");
      error(res, 500, "Server Error");
      return;
    }
    const b = body as { model: string; input: { prompt: string } & Record<string, unknown> };
    const price = (SIM_KIE_MODELS[b.model] as { credits(i: Record<string, unknown>): number }).credits(
      b.input,
    );
    if (ctx.credits.balance < price) {
      ctx.stats.count("kie.create.402");
      error(res, 402, "Insufficient Credits");
      return;
    }
    const taskId = randomBytes(16).toString("hex");
    const job = startSimJob(ctx, taskId, b.input.prompt, price, now);
    const task: SimTask = {
      taskId,
      model: b.model,
      param: JSON.stringify(body),
      job,
      failCode: job.policy ? "422" : "500",
      failMsg: job.policy ? "Invalid prompt: prompt contains prohibited content" : "Internal server error",
      variant: variantCounter++,
    };
    tasks.set(task.taskId, task);
    ctx.changed();
    const callBackUrl = (body as { callBackUrl?: unknown }).callBackUrl;
    if (typeof callBackUrl === "string") {
      ctx.stats.callbackUrlsSeen.add(callBackUrl);
      scheduleCallback(task, callBackUrl, now);
    }
    finishCreate(ctx, "kie", req, res, () => {
      const text = task.variant % 2 === 0 ? { msg: "success" } : { message: "success" };
      // A live create answer also carries `recordId` (the same id).
      const ids =
        task.variant % 2 === 1 ? { taskId: task.taskId, recordId: task.taskId } : { taskId: task.taskId };
      sendJson(res, 200, { code: 200, ...text, data: ids });
    });
  }

  function stateOf(
    task: SimTask,
    now: number,
    seen = true,
  ): "waiting" | "queuing" | "generating" | "success" | "fail" {
    const phase = observeSimJob(ctx, "kie", task.job, now, seen);
    if (phase !== "running") return phase === "failed" ? "fail" : "success";
    const progress = progressOf(task.job, now);
    if (progress < 0.1) return "waiting";
    if (progress < 0.25) return "queuing";
    return "generating";
  }

  function recordInfo(req: IncomingMessage, res: ServerResponse, url: URL): void {
    const key = authorized(req, res);
    if (!key) return;
    const opts = ctx.options();
    ctx.stats.count("kie.status");
    if (!windowFor(statusWindows, key, opts.statusPerSecond, 1000).tryTake(Date.now())) {
      ctx.stats.count("kie.status.429");
      error(res, 429, "Rate limit exceeded", { "retry-after": "1" });
      return;
    }
    if (ctx.random() < opts.faults.statusDropRate) {
      ctx.stats.count("kie.status.dropped");
      dropConnection(req);
      return;
    }
    if (ctx.random() < opts.faults.status5xxRate) {
      ctx.stats.count("kie.status.500");
      error(res, 500, "Server Error");
      return;
    }
    const taskId = url.searchParams.get("taskId");
    if (!taskId) {
      error(res, 400, "taskId parameter is required");
      return;
    }
    const task = tasks.get(taskId);
    if (!task) {
      // The documented 404, or what real runs show for a task KIE does not know (yet), alternately.
      if (unknownAnswers++ % 2 === 0) error(res, 404, "Task not found");
      else sendJson(res, 200, { code: 422, msg: "recordInfo is null", data: null });
      return;
    }
    const data = describe(task, Date.now());
    const text = task.variant % 2 === 0 ? { msg: "success" } : { message: "success" };
    sendJson(res, 200, { code: 200, ...text, data });
  }

  /** recordInfo's `data` (and a callback's) for the task as it stands at `now`. */
  function describe(task: SimTask, now: number, seen = true): Record<string, unknown> {
    const state = stateOf(task, now, seen);
    const done = state === "success" || state === "fail";
    const creditsField = task.variant % 2 === 0 ? "consumeCredits" : "creditsConsumed";
    const data: Record<string, unknown> = {
      taskId: task.taskId,
      model: task.model,
      state,
      param: task.param,
      // Real captures: resultJson a JSON string (an object on some answers), failCode null unless
      // failed, costTime in seconds.
      resultJson:
        state !== "success"
          ? ""
          : task.variant % 3 === 2
            ? { resultUrls: [resultUrl(task)] }
            : JSON.stringify({ resultUrls: [resultUrl(task)] }),
      failCode: state === "fail" ? task.failCode : null,
      failMsg: state === "fail" ? task.failMsg : null,
      costTime: done ? Math.max(1, Math.round(task.job.genMs / 1000)) : null,
      completeTime: done ? readyAt(task.job) : null,
      createTime: task.job.createdAt,
      updateTime: now,
    };
    if (done) {
      const credits = ctx.options().reportedCharge ?? (state === "success" ? task.job.cost : 0);
      // Credits come as numbers, and on some answers as numeric strings.
      data[creditsField] = task.variant % 4 === 3 ? credits.toFixed(1) : credits;
      data.remainedCredits = ctx.credits.balance;
    }
    return data;
  }

  /**
   * KIE calls `callBackUrl` once, when the task finishes, "regardless of whether it succeeds or
   * fails": code 200 or 501, the recordInfo fields in `data` (`param` the whole create request).
   */
  function scheduleCallback(task: SimTask, url: string, now: number): void {
    const envelope = (data: Record<string, unknown>) =>
      data.state === "success"
        ? { code: 200, msg: "Playground task completed successfully.", data }
        : { code: 501, msg: "Playground task failed.", data };
    ctx.callbacks.schedule(
      {
        style: "kie",
        url,
        taskId: task.taskId,
        final: true,
        body: () => envelope(describe(task, Math.max(Date.now(), readyAt(task.job)), false)),
        forgedBody: (outcome) => forgedKieCallback(task, outcome, ctx.baseUrl()),
      },
      readyAt(task.job) - now,
    );
  }

  function resultUrl(task: SimTask): string {
    const input = (JSON.parse(task.param) as { input?: { aspect_ratio?: unknown } }).input;
    return resultFileUrl(ctx, task.taskId, readyAt(task.job), input?.aspect_ratio);
  }

  function credit(req: IncomingMessage, res: ServerResponse): void {
    if (!authorized(req, res)) return;
    sendJson(res, 200, { code: 200, msg: "success", data: ctx.credits.balance });
  }

  async function downloadUrl(req: IncomingMessage, res: ServerResponse): Promise<void> {
    if (!authorized(req, res)) return;
    const body = (await readJsonBody(req).catch(() => undefined)) as { url?: string } | undefined;
    const m = typeof body?.url === "string" ? /\/files\/([0-9a-f]{32})\.mp4/.exec(body.url) : null;
    if (!m?.[1] || !tasks.has(m[1])) {
      error(res, 422, "Only kie.ai generated URLs are supported");
      return;
    }
    ctx.stats.count("kie.download-url");
    sendJson(res, 200, {
      code: 200,
      msg: "success",
      data: `${ctx.baseUrl()}/files/${m[1]}.mp4?expires=${Date.now() + 20 * 60_000}`,
    });
  }

  return {
    hasTask: (taskId: string) => tasks.has(taskId),
    state: {
      save: () => [...tasks.values()],
      load(data) {
        for (const task of data as SimTask[]) tasks.set(task.taskId, task);
      },
    } satisfies SimState,
    async handle(req: IncomingMessage, res: ServerResponse, url: URL): Promise<boolean> {
      if (await uploads.handle(req, res, url)) return true;
      const route = `${req.method} ${url.pathname}`;
      if (route === "POST /api/v1/jobs/createTask") await createTask(req, res);
      else if (route === "GET /api/v1/jobs/recordInfo") recordInfo(req, res, url);
      else if (route === "GET /api/v1/chat/credit") credit(req, res);
      else if (route === "POST /api/v1/common/download-url") await downloadUrl(req, res);
      else return false;
      return true;
    },
  };
}
