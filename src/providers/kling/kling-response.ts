import type { HttpResponse } from "../http-client.js";
import type { TaskSnapshot } from "../provider.js";
import { rejectLostCreate } from "../provider-call.js";
import { type FailureKind, isProviderError, ProviderError } from "../provider-error.js";
import { asNumber, asRecord, cleanProviderText } from "../read-json.js";
import { parseRetryAfter } from "../retry-delay.js";

export type KlingCall = "create" | "status" | "lookup" | "account";

/** The documented error-code table (docs/provider-contracts.md, Kling error codes) mapped to what the engine must do. */
export function classifyKlingCode(code: number, call: KlingCall): FailureKind {
  if ((code >= 1000 && code <= 1004) || code === 1103 || code === 1304) return "auth";
  if (code >= 1100 && code <= 1102) return "credits";
  if (code === 1302 || code === 1303) return "rate_limited";
  if (code === 1203 && call !== "create") return "not_found";
  if ((code >= 1200 && code <= 1203) || code === 1300 || code === 1301) return "rejected";
  // 5002 is an internal timeout "usually due to a backlog": a create may still go through.
  if (code === 5002 && call === "create") return "unknown_outcome";
  if (code >= 5000 && code <= 5999) return "transient";
  return "rejected";
}

function hintFor(code: number, kind: FailureKind): string | undefined {
  if (code === 1003 || code === 1004)
    return "check KLING_ACCESS_KEY/KLING_SECRET_KEY and this machine's clock";
  if (code === 1304) return "Kling's IP whitelist blocks this machine";
  if (kind === "auth") return "check KLING_ACCESS_KEY and KLING_SECRET_KEY";
  if (kind === "credits")
    return "top up or renew the resource pack at klingai.com, then run the same command again to resume";
  return undefined;
}

/** How long to hold creates after a limit error when the server gives no Retry-After. */
function defaultWaitMs(code: number): number | undefined {
  if (code === 1303) return 5_000; // a slot frees only when one of our tasks finishes
  if (code === 1302) return 2_000;
  return undefined;
}

/**
 * Reads Kling's envelope `{code, message, request_id, data}`: a call succeeds only on HTTP 2xx with
 * `code` 0. Errors carry the documented code (`KLING_1102`) and the request id, which Kling's
 * support asks for.
 */
export function readKlingEnvelope(response: HttpResponse, call: KlingCall): unknown {
  const body = asRecord(response.body);
  const code = asNumber(body?.code);
  const httpOk = response.status >= 200 && response.status < 300;
  if (httpOk && code === 0) return body?.data;

  if (code === undefined || code === 0) return bareFailure(response, call);
  const kind = classifyKlingCode(code, call);
  const message = cleanProviderText(body?.message);
  const requestId = cleanProviderText(body?.request_id, 80);
  const hint = hintFor(code, kind);
  const retryAfterMs = parseRetryAfter(response.headers["retry-after"]) ?? defaultWaitMs(code);
  throw new ProviderError(
    `Kling error ${code}${message ? `: ${message}` : ""}${requestId ? ` (request ${requestId})` : ""}${hint ? ` (${hint})` : ""}`,
    {
      kind,
      code: `KLING_${code}`,
      status: response.status,
      ...(retryAfterMs !== undefined ? { retryAfterMs } : {}),
      ...(code === 1303 ? { concurrencyLimit: true } : {}),
    },
  );
}

/** An answer without Kling's envelope: a proxy, a gateway or a firewall spoke, not Kling. */
function bareFailure(response: HttpResponse, call: KlingCall): never {
  const status = response.status;
  const httpOk = status >= 200 && status < 300;
  rejectLostCreate(response, {
    isCreate: call === "create",
    enveloped: false,
    provider: "Kling",
    codePrefix: "KLING",
  });
  let kind: FailureKind;
  // A 2xx without Kling's envelope on a create: no task id to follow, but a task may exist.
  if (call === "create" && httpOk) kind = "unknown_outcome";
  else if (status === 401 || status === 403) kind = "auth";
  else if (status === 429) kind = "rate_limited";
  else if (status === 404 && call !== "create") kind = "not_found";
  else if (httpOk || status >= 500) kind = "transient";
  else kind = "rejected";
  const what =
    kind === "unknown_outcome"
      ? `Kling's gateway answered HTTP ${status} without a Kling answer; the task may exist`
      : `Kling answered HTTP ${status} without a readable body`;
  const retryAfterMs = parseRetryAfter(response.headers["retry-after"]);
  throw new ProviderError(what, {
    kind,
    code: `KLING_HTTP_${status}`,
    status,
    ...(retryAfterMs !== undefined ? { retryAfterMs } : {}),
  });
}

export function readKlingTaskId(data: unknown): string {
  const id = asRecord(data)?.task_id;
  if (typeof id === "string" && id !== "") return id;
  if (typeof id === "number") return String(id);
  throw new ProviderError("Kling accepted the task but its answer holds no task_id", {
    kind: "unknown_outcome",
    code: "KLING_NO_TASK_ID",
  });
}

export interface KlingTask {
  taskId: string;
  externalTaskId?: string;
  snapshot: TaskSnapshot;
}

/**
 * Every task in a query answer's `data`: one task, or a list of them (a query by external id may
 * answer either way — UNCONFIRMED — and a list that ignores its filter holds other tasks too).
 * Items that are not tasks are skipped.
 */
export function readKlingTasks(data: unknown): KlingTask[] {
  const items = Array.isArray(data) ? data : [data];
  const tasks: KlingTask[] = [];
  for (const item of items) {
    try {
      const task = readKlingTask(item);
      if (task?.taskId) tasks.push(task);
    } catch (error) {
      // A finished task without its URL yet still names itself; only its id matters to a lookup.
      const record = asRecord(item);
      const id = record?.task_id;
      const external = asRecord(record?.task_info)?.external_task_id;
      if (!isProviderError(error) || (typeof id !== "string" && typeof id !== "number")) continue;
      tasks.push({
        taskId: String(id),
        ...(typeof external === "string" ? { externalTaskId: external } : {}),
        snapshot: { state: "running", providerState: "unknown" },
      });
    }
  }
  return tasks;
}

/**
 * Reads one task (a query answer's `data` by task id). Status is `submitted|processing|succeed|failed`
 * (the new standard's `succeeded` is read too).
 */
export function readKlingTask(data: unknown): KlingTask | undefined {
  const record = Array.isArray(data) ? asRecord(data[0]) : asRecord(data);
  if (!record) return undefined;
  const rawId = record.task_id;
  const taskId = typeof rawId === "number" ? String(rawId) : typeof rawId === "string" ? rawId : "";
  const external = asRecord(record.task_info)?.external_task_id;
  const status = typeof record.task_status === "string" ? record.task_status : "";
  const units = asNumber(record.final_unit_deduction);
  const charged = units !== undefined ? { chargedCredits: units } : {};
  let snapshot: TaskSnapshot;
  switch (status) {
    case "succeed":
    case "succeeded": {
      const videos = asRecord(record.task_result)?.videos;
      const first = Array.isArray(videos) ? asRecord(videos[0]) : undefined;
      const videoUrl = typeof first?.url === "string" && first.url !== "" ? first.url : undefined;
      if (!videoUrl) {
        throw new ProviderError("Kling reports the task done but gives no video URL yet", {
          kind: "transient",
          code: "KLING_NO_VIDEO_URL",
        });
      }
      const videoId = typeof first?.id === "string" && first.id !== "" ? first.id : undefined;
      snapshot = {
        state: "succeeded",
        providerState: status,
        videoUrl,
        ...(videoId ? { videoId } : {}),
        ...charged,
      };
      break;
    }
    case "failed":
      snapshot = {
        state: "failed",
        providerState: status,
        errorMessage: cleanProviderText(record.task_status_msg) || "generation failed (no reason given)",
        ...charged,
      };
      break;
    case "submitted":
      snapshot = { state: "queued", providerState: status };
      break;
    default:
      snapshot = { state: "running", providerState: status || "unknown" };
  }
  if (typeof external === "string" && external !== "") snapshot.externalId = external;
  return { taskId, ...(typeof external === "string" ? { externalTaskId: external } : {}), snapshot };
}

/**
 * The resource-pack balance from `/account/costs`: remaining units summed over packs that are
 * `online` (expired and run-out packs hold nothing usable). Kling says the figure lags up to 12 h.
 */
export function readKlingBalance(data: unknown): number | undefined {
  const packs = asRecord(data)?.resource_pack_subscribe_infos;
  if (!Array.isArray(packs)) return undefined;
  let units = 0;
  for (const pack of packs) {
    const p = asRecord(pack);
    if (p?.status === "online") units += asNumber(p.remaining_quantity) ?? 0;
  }
  return units;
}
