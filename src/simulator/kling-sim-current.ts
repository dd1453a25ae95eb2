import type { KlingKind } from "./kling-sim-rules.js";
import type { KlingSimTask } from "./kling-sim-task.js";
import { resultFileUrl, type SimContext } from "./sim-context.js";
import { observeSimJob, progressOf, readyAt } from "./sim-job.js";

/**
 * Kling's current standard as the simulator reads docs/provider-contracts.md (Kling current
 * standard), written apart from the adapter: creates at `/{text,image}-to-video/{model}` with
 * `prompt` or `contents`, `settings` and `options`; answers and callbacks in the `/tasks` item
 * shape with `billing[]`. A create is checked here for what only this standard says, then read as
 * the legacy body it amounts to, so one set of model rules and one task lifecycle serve both.
 */

/** Path model → the legacy model it runs (3.0 Turbo has none: a current-only stand-in name). */
export const CURRENT_MODELS: Record<
  string,
  { legacy: string; audio: boolean; lastFrame: boolean; durations: number[] }
> = {
  "kling-2.6": { legacy: "kling-v2-6", audio: true, lastFrame: true, durations: [5, 10] },
  "kling-2.5-turbo": { legacy: "kling-v2-5-turbo", audio: false, lastFrame: true, durations: [5, 10] },
  "kling-3.0": { legacy: "kling-v3", audio: true, lastFrame: true, durations: range(3, 15) },
  "kling-3.0-turbo": { legacy: "kling-v3-turbo", audio: false, lastFrame: false, durations: range(3, 15) },
};

function range(from: number, to: number): number[] {
  return Array.from({ length: to - from + 1 }, (_, i) => from + i);
}

const RESOLUTIONS = ["720p", "1080p"];
/** 4k: Kling 3.0 (and Omni) only, 3 units a second. */
const UHD_MODELS = new Set(["kling-3.0"]);

/** The legacy body a current-standard create amounts to, or why Kling would refuse it (1201). */
export function readCurrentCreate(
  kind: KlingKind,
  model: string,
  body: Record<string, unknown>,
): { body: Record<string, unknown> } | { problem: string } {
  const spec = CURRENT_MODELS[model];
  if (!spec) return { problem: `model ${model} does not exist` };
  const settings = (body.settings ?? {}) as Record<string, unknown>;
  const options = (body.options ?? {}) as Record<string, unknown>;
  if (typeof settings !== "object" || typeof options !== "object")
    return { problem: "settings and options must be objects" };
  if (body.negative_prompt !== undefined || body.model_name !== undefined)
    return { problem: "negative_prompt and model_name are not fields of this API" };
  const resolution = (settings.resolution as string | undefined) ?? "720p";
  if (!RESOLUTIONS.includes(resolution) && !(resolution === "4k" && UHD_MODELS.has(model)))
    return { problem: `settings.resolution must be 720p or 1080p${UHD_MODELS.has(model) ? " or 4k" : ""}` };
  const duration = (settings.duration as number | undefined) ?? 5;
  if (typeof duration !== "number" || !spec.durations.includes(duration))
    return { problem: `settings.duration must be one of ${spec.durations.join(", ")} (a number)` };
  const audio = settings.audio;
  if (audio !== undefined && (!spec.audio || (audio !== "native" && audio !== "off")))
    return {
      problem: spec.audio
        ? "settings.audio must be native or off"
        : `settings.audio is not a field of ${model}`,
    };
  if (audio === "native" && resolution !== "1080p")
    return { problem: "native audio is only supported at 1080p" };
  const legacy: Record<string, unknown> = {
    model_name: spec.legacy,
    mode: resolution === "720p" ? "std" : "pro",
    ...(resolution === "4k" ? { uhd: true } : {}),
    duration: String(duration),
    ...(spec.audio ? { sound: audio === "native" ? "on" : "off" } : {}),
    ...(typeof options.external_task_id === "string" && options.external_task_id !== ""
      ? { external_task_id: options.external_task_id }
      : {}),
    ...(options.callback_url !== undefined ? { callback_url: options.callback_url } : {}),
  };
  if (kind === "text2video") {
    if (typeof body.prompt !== "string" || body.prompt.trim() === "")
      return { problem: "prompt is required" };
    if (
      settings.aspect_ratio !== undefined &&
      !["16:9", "9:16", "1:1"].includes(settings.aspect_ratio as string)
    )
      return { problem: "settings.aspect_ratio must be 16:9, 9:16 or 1:1" };
    return { body: { ...legacy, prompt: body.prompt, aspect_ratio: settings.aspect_ratio ?? "16:9" } };
  }
  if (settings.aspect_ratio !== undefined)
    return { problem: "settings.aspect_ratio is not a field of image-to-video" };
  const contents = Array.isArray(body.contents) ? (body.contents as Record<string, unknown>[]) : [];
  const of = (type: string) => contents.find((c) => c?.type === type);
  const first = of("first_frame")?.url;
  const last = of("last_frame")?.url;
  if (typeof first !== "string" || first === "")
    return { problem: "contents needs a first_frame with a url" };
  if (last !== undefined) {
    if (!spec.lastFrame) return { problem: `${model} supports the first frame only` };
    if (resolution === "720p") return { problem: "first and last frame are not supported at 720p" };
  }
  const prompt = of("prompt")?.text;
  return {
    body: {
      ...legacy,
      prompt: typeof prompt === "string" ? prompt : "",
      image: first,
      ...(typeof last === "string" ? { image_tail: last } : {}),
    },
  };
}

/** How the simulated account pays: resource-pack units, or a USD or CNY balance. */
export type SimKlingBilling = "unit" | "cash-usd" | "cash-cny";

/** A task in the current standard's shape (`/tasks` items and callbacks alike). */
export function describeCurrentTask(
  ctx: SimContext,
  task: KlingSimTask,
  now: number,
  seen = true,
): Record<string, unknown> {
  const phase = observeSimJob(ctx, "kling", task.job, now, seen);
  const status =
    phase === "running"
      ? progressOf(task.job, now) < 0.25
        ? "submitted"
        : "processing"
      : phase === "failed"
        ? "failed"
        : "succeeded";
  const ready = readyAt(task.job);
  const done = status === "succeeded" || status === "failed";
  const units = ctx.options().reportedCharge ?? (status === "succeeded" ? task.job.cost : 0);
  const billing = ctx.options().kling.billing;
  return {
    id: task.taskId,
    status,
    message: status === "failed" ? task.failMsg : "",
    create_time: task.job.createdAt,
    update_time: done ? ready : now,
    ...(task.externalId ? { external_id: task.externalId } : {}),
    outputs:
      status === "succeeded"
        ? [
            {
              type: "video",
              id: `v${task.taskId}`,
              url: resultFileUrl(ctx, task.taskId, ready, task.aspect),
              watermark_url: resultFileUrl(ctx, task.taskId, ready, task.aspect),
              duration: task.duration,
            },
          ]
        : [],
    billing: !done
      ? []
      : billing === "unit"
        ? [{ charge_type: "unit", amount: String(units), package_type: "video" }]
        : [
            {
              charge_type: "cash",
              cash_type: "balance",
              // The simulator's own prices: $0.14 or ¥1 a unit, discounted 10 % off the list price.
              amount: String(Math.round(units * (billing === "cash-usd" ? 0.126 : 0.9) * 1000) / 1000),
              currency: billing === "cash-usd" ? "USD" : "CNY",
              list_price: String(Math.round(units * (billing === "cash-usd" ? 0.14 : 1) * 1000) / 1000),
            },
          ],
  };
}

/** `GET /tasks`: by `task_ids` or `external_task_ids` (never both), each known task in the current shape. */
export function queryCurrentTasks(
  ctx: SimContext,
  url: URL,
  find: (id: string, byExternalId: boolean) => KlingSimTask | undefined,
): { items: unknown[] } | { problem: string } {
  const byId = url.searchParams.get("task_ids");
  const byExternalId = url.searchParams.get("external_task_ids");
  if ((byId === null) === (byExternalId === null))
    return { problem: "give task_ids or external_task_ids, not both" };
  const ids = (byId ?? byExternalId ?? "").split(",").filter(Boolean);
  ctx.stats.count("kling.tasks-query");
  ctx.stats.count("kling.tasks-query.ids", ids.length);
  const now = Date.now();
  const found = ids.map((id) => find(id, byId === null)).filter((t): t is KlingSimTask => t !== undefined);
  return { items: found.map((t) => describeCurrentTask(ctx, t, now)) };
}

/**
 * `POST /account/billing/balance`: the balance deductions, newest first here (the docs do not say
 * the order); a unit-paying account has none. The balance is the account's units at the
 * simulator's cash prices ($0.14 or ¥1 a unit).
 */
export function balanceDeductions(ctx: SimContext, now: number): Record<string, unknown> {
  const billing = ctx.options().kling.billing;
  if (billing === "unit") return { result: { detail: [], count: 0 }, next_cursor: "", has_more: false };
  const rate = billing === "cash-usd" ? 0.14 : 1;
  const after = Math.round(ctx.credits.balance * rate * 100) / 100;
  return {
    result: {
      detail: [
        {
          task_id: "sim-last-deduction",
          deduction_time: String(now - 60_000),
          cash_type: "balance",
          balance_before_deduction: after + 0.7,
          deduction_amount: 0.7,
          balance_after_deduction: after,
          list_price: 0.7,
          currency: billing === "cash-usd" ? "USD" : "CNY",
        },
      ],
      count: 1,
    },
    next_cursor: "",
    has_more: false,
  };
}
