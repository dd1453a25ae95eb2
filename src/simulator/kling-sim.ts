import { randomUUID } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import { sleep } from "../util/sleep.js";
import { createKlingAuth } from "./kling-sim-auth.js";
import { scheduleKlingCallbacks } from "./kling-sim-callbacks.js";
import {
  balanceDeductions,
  describeCurrentTask,
  queryCurrentTasks,
  readCurrentCreate,
} from "./kling-sim-current.js";
import { foreignKlingTasks } from "./kling-sim-foreign.js";
import { klingImagesProblem } from "./kling-sim-frames.js";
import {
  isCurrentOnly,
  type KlingKind,
  klingUnits,
  resourcePacks,
  validateKlingBody,
} from "./kling-sim-rules.js";
import { describeKlingTask, type KlingSimTask } from "./kling-sim-task.js";
import type { SimContext, SimState } from "./sim-context.js";
import { dropConnection, finishCreate, readJsonBody, sendJson } from "./sim-http.js";
import { progressOf, startSimJob } from "./sim-job.js";
import { SimRateWindow } from "./sim-rate-window.js";

type Kind = KlingKind;

/**
 * Kling's official API, legacy standard, as docs/provider-contracts.md (Kling) describes it: HS256 JWTs checked
 * for signature, `iss`, `nbf` and `exp`; text2video/image2video creates with the kling-v2-6 rules
 * (sound needs pro, an end frame needs pro and no sound, prompts ≤ 2500, unique external_task_id);
 * queries by task_id or external_task_id, in the path or the query string; the documented error
 * codes and bodies; resource-pack units charged per second and refunded on failure.
 */
export function createKlingSim(ctx: SimContext) {
  const tasks = new Map<string, KlingSimTask>();
  const byExternal = new Map<string, KlingSimTask>();
  const costsWindow = new SimRateWindow(1, 1000);
  let counter = 0;
  let variant = 0;

  const fail = (res: ServerResponse, http: number, code: number, message: string) => {
    ctx.stats.count(`kling.error.${code}`);
    sendJson(res, http, { code, message, request_id: randomUUID() });
  };
  const ok = (res: ServerResponse, data: unknown) =>
    sendJson(res, 200, { code: 0, message: "SUCCEED", request_id: randomUUID(), data });

  const authorized = createKlingAuth(ctx, fail);

  async function create(
    kind: Kind,
    req: IncomingMessage,
    res: ServerResponse,
    current?: string,
  ): Promise<void> {
    if (!authorized(req, res, current !== undefined)) return;
    await sleep(ctx.options().createArrivalDelayMs); // a create still on the wire: no task yet
    const opts = ctx.options();
    let body: Record<string, unknown>;
    try {
      // Room for two inline frames of up to 10 MB of Base64 each.
      body = (await readJsonBody(req, 24 * 1024 * 1024)) as Record<string, unknown>;
      if (typeof body !== "object" || body === null || Array.isArray(body)) throw new Error("not an object");
    } catch {
      fail(res, 400, 1200, "Invalid request parameters");
      return;
    }
    if (ctx.random() < opts.faults.create429Rate) {
      fail(res, 429, 1302, "The API request is too fast, please slow down");
      return;
    }
    if (current !== undefined) {
      const read = readCurrentCreate(kind, current, body);
      if ("problem" in read) return fail(res, 400, 1201, read.problem);
      body = read.body;
    } else if (isCurrentOnly(body.model_name))
      return fail(res, 400, 1201, "model_name is not a legacy model");
    const invalid =
      validateKlingBody(kind, body) ??
      klingImagesProblem(ctx, body) ??
      (typeof body.external_task_id === "string" && byExternal.has(body.external_task_id)
        ? "external_task_id already exists"
        : undefined);
    if (invalid) {
      fail(res, 400, 1201, invalid);
      return;
    }
    const now = Date.now();
    const inFlight = [...tasks.values()].filter((t) => progressOf(t.job, now) < 1).length;
    if (inFlight >= opts.kling.concurrency) {
      fail(res, 429, 1303, "parallel task over resource pack limit");
      return;
    }
    if (ctx.random() < opts.faults.create5xxRate) {
      fail(res, 500, 5000, "Server internal error");
      return;
    }
    const duration = (body.duration as string | undefined) ?? "5";
    const units = klingUnits(body);
    if (ctx.credits.balance < units) {
      fail(res, 429, 1102, "Resource pack exhausted or expired");
      return;
    }
    const taskId = String(867283741759111202n + BigInt(++counter));
    const job = startSimJob(ctx, taskId, (body.prompt as string | undefined) ?? "", units, now);
    const task: KlingSimTask = {
      taskId,
      ...(typeof body.external_task_id === "string" ? { externalId: body.external_task_id } : {}),
      kind,
      job,
      failMsg: job.policy ? "Content moderation review failed." : "Internal error, please try again later",
      duration,
      ...(typeof body.aspect_ratio === "string" ? { aspect: body.aspect_ratio } : {}),
      ...(current !== undefined ? { current: true } : {}),
    };
    tasks.set(task.taskId, task);
    if (task.externalId) byExternal.set(task.externalId, task);
    ctx.changed();
    const callbackUrl = typeof body.callback_url === "string" ? body.callback_url : undefined;
    if (callbackUrl)
      scheduleKlingCallbacks(ctx, task, callbackUrl, now, (at) => describeAny(task, at, false));
    if (current !== undefined)
      return finishCreate(ctx, "kling", req, res, () =>
        ok(res, {
          id: task.taskId,
          status: "submitted",
          create_time: now,
          update_time: now,
          ...(task.externalId ? { external_id: task.externalId } : {}),
        }),
      );
    finishCreate(ctx, "kling", req, res, () =>
      ok(res, {
        task_id: task.taskId,
        task_status: "submitted",
        // A live create answer may leave task_info out altogether (every other task here).
        ...(counter % 2 === 0
          ? { task_info: task.externalId ? { external_task_id: task.externalId } : {} }
          : {}),
        created_at: now,
        updated_at: now,
      }),
    );
  }

  const describeAny = (task: KlingSimTask, at: number, seen = true) =>
    task.current ? describeCurrentTask(ctx, task, at, seen) : describeKlingTask(ctx, task, at, seen);

  /** `GET /tasks?task_ids=a,b` or `?external_task_ids=`: every listed task it knows, in an array. */
  function queryTasks(url: URL, req: IncomingMessage, res: ServerResponse): void {
    if (!queryAllowed(req, res, true)) return;
    const answer = queryCurrentTasks(ctx, url, (id, external) => (external ? byExternal : tasks).get(id));
    if ("problem" in answer) fail(res, 400, 1201, answer.problem);
    else ok(res, answer.items);
  }

  /** Shared checks of every query: auth, injected faults. False when an answer was already sent. */
  function queryAllowed(req: IncomingMessage, res: ServerResponse, current = false): boolean {
    if (!authorized(req, res, current)) return false;
    const opts = ctx.options();
    ctx.stats.count("kling.status");
    if (ctx.random() < opts.faults.statusDropRate) {
      dropConnection(req);
      return false;
    }
    if (ctx.random() < opts.faults.status5xxRate) {
      fail(res, 500, 5000, "Server internal error");
      return false;
    }
    return true;
  }

  /** `GET /v1/videos/{kind}/{id}`: the id may be the task_id or the external_task_id. */
  function queryOne(kind: Kind, id: string, req: IncomingMessage, res: ServerResponse): void {
    if (!queryAllowed(req, res)) return;
    // By external id only once the (hostile) lookup delay has passed since the create.
    const external = byExternal.get(id);
    const visible =
      external && Date.now() - external.job.createdAt >= ctx.options().kling.externalLookupDelayMs;
    const task = tasks.get(id) ?? (visible ? external : undefined);
    if (!task || task.kind !== kind) {
      fail(res, 404, 1203, "The requested resource does not exist");
      return;
    }
    ok(res, describeKlingTask(ctx, task, Date.now()));
  }

  /**
   * `GET /v1/videos/{kind}?external_task_id=` (the UNCONFIRMED form some clients use): answered
   * with one task or a one-element list, alternately, since the docs do not say which. Without it,
   * the documented list (`pageNum`, `pageSize`).
   */
  function queryList(kind: Kind, url: URL, req: IncomingMessage, res: ServerResponse): void {
    if (!queryAllowed(req, res)) return;
    const now = Date.now();
    const external = url.searchParams.get("external_task_id");
    const hostile = ctx.options().kling;
    if (external !== null && !hostile.listIgnoresFilter) {
      const task = byExternal.get(external);
      if (!task || task.kind !== kind) {
        if (variant++ % 2 === 0) fail(res, 404, 1203, "The requested resource does not exist");
        else ok(res, []);
        return;
      }
      ok(res, variant++ % 2 === 0 ? describeKlingTask(ctx, task, now) : [describeKlingTask(ctx, task, now)]);
      return;
    }
    const pageNum = Number(url.searchParams.get("pageNum") ?? "1");
    const pageSize = Number(url.searchParams.get("pageSize") ?? "30");
    if (!(pageNum >= 1 && pageNum <= 1000 && pageSize >= 1 && pageSize <= 500)) {
      fail(res, 400, 1201, "pageNum must be in [1,1000] and pageSize in [1,500]");
      return;
    }
    const all = [...tasks.values()].filter((t) => t.kind === kind).reverse();
    const foreign = foreignKlingTasks(hostile.foreignTasks, now, ctx.baseUrl());
    ok(
      res,
      [
        ...foreign,
        ...all.slice((pageNum - 1) * pageSize, pageNum * pageSize).map((t) => describeKlingTask(ctx, t, now)),
      ].slice(0, pageSize),
    );
  }

  /** `GET /account/costs`: one online pack holding the balance, plus an expired one (which holds nothing usable). */
  function accountCosts(req: IncomingMessage, res: ServerResponse, url: URL): void {
    if (!authorized(req, res)) return;
    if (!costsWindow.tryTake(Date.now())) {
      fail(res, 429, 1302, "The API request is too fast, please slow down (QPS<=1)");
      return;
    }
    if (!url.searchParams.get("start_time") || !url.searchParams.get("end_time")) {
      fail(res, 400, 1201, "start_time and end_time are required");
      return;
    }
    // An account that pays from a cash balance has no pack online.
    const packs = resourcePacks(ctx.options().kling.billing === "unit" ? ctx.credits.balance : 0, Date.now());
    ok(res, packs);
  }

  return {
    hasTask: (taskId: string) => tasks.has(taskId),
    state: {
      save: () => [...tasks.values()],
      load(data) {
        for (const task of data as KlingSimTask[]) {
          tasks.set(task.taskId, task);
          if (task.externalId) byExternal.set(task.externalId, task);
        }
      },
    } satisfies SimState,
    async handle(req: IncomingMessage, res: ServerResponse, url: URL): Promise<boolean> {
      const m = /^\/v1\/videos\/(text2video|image2video)(?:\/([^/]+))?$/.exec(url.pathname);
      if (m) {
        const kind = m[1] as Kind;
        if (req.method === "POST" && !m[2]) await create(kind, req, res);
        else if (req.method === "GET" && m[2]) queryOne(kind, decodeURIComponent(m[2]), req, res);
        else if (req.method === "GET") queryList(kind, url, req, res);
        else fail(res, 404, 1202, "The requested method is invalid");
        return true;
      }
      const current = /^\/(text|image)-to-video\/([^/]+)$/.exec(url.pathname);
      if (current && req.method === "POST") {
        await create(
          current[1] === "text" ? "text2video" : "image2video",
          req,
          res,
          decodeURIComponent(current[2] as string),
        );
        return true;
      }
      if (req.method === "GET" && url.pathname === "/tasks") {
        queryTasks(url, req, res);
        return true;
      }
      if (req.method === "POST" && url.pathname === "/account/billing/balance") {
        if (authorized(req, res, true)) ok(res, balanceDeductions(ctx, Date.now()));
        return true;
      }
      if (req.method === "GET" && url.pathname === "/account/costs") {
        accountCosts(req, res, url);
        return true;
      }
      return false;
    },
  };
}
