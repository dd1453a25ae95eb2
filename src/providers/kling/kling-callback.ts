import { redactDeep } from "../../util/redact.js";
import type { CallbackDelivery, CallbackReport } from "../provider.js";
import { asRecord } from "../read-json.js";
import { checkStandardWebhook, parseCallbackBody } from "../webhook-signature.js";
import { readKlingTask } from "./kling-response.js";

/**
 * The new standard's callback `{id, status, message, external_id, outputs[], billing[]}` in the
 * legacy shape the query reader knows (`task_id`, `task_status`, `task_result.videos`, ...).
 */
function asLegacy(body: Record<string, unknown>): Record<string, unknown> {
  if (body.task_id !== undefined || body.task_status !== undefined) return body;
  const outputs = Array.isArray(body.outputs) ? body.outputs.map(asRecord) : [];
  const billing = Array.isArray(body.billing) ? body.billing.map(asRecord) : [];
  const units = billing.find((b) => b?.charge_type === "unit")?.amount;
  return {
    task_id: body.id,
    task_status: body.status,
    task_status_msg: body.message,
    task_info: { external_task_id: body.external_id },
    task_result: { videos: outputs.filter((o) => o?.type === "video") },
    ...(units !== undefined ? { final_unit_deduction: units } : {}),
  };
}

/**
 * Kling's callback (docs/provider-contracts.md, Kling callbacks), sent on every status change, in
 * the legacy or the new standard's shape. With a webhook secret, the Standard-Webhooks signature
 * must verify; a callback without its headers is unsigned, never trusted.
 */
export function readKlingCallback(
  delivery: CallbackDelivery,
  secret: string | undefined,
  secrets: readonly string[] = [],
): CallbackReport {
  // The signature is over the raw body; what is read from it is read with every known secret
  // removed first, before any reader cuts a message short.
  const body = asRecord(redactDeep(parseCallbackBody(delivery.rawBody), secrets));
  let base: Pick<CallbackReport, "taskId" | "snapshot"> = {};
  let problem: string | undefined;
  try {
    const task = body ? readKlingTask(asLegacy(body)) : undefined;
    if (task?.taskId) base = { taskId: task.taskId, snapshot: task.snapshot };
  } catch (error) {
    problem = (error as Error).message;
  }
  if (!base.taskId && !problem) problem = "its body holds no task id";
  const {
    "webhook-id": id,
    "webhook-timestamp": timestamp,
    "webhook-signature": signature,
  } = delivery.headers;
  if (!secret || id === undefined || timestamp === undefined || signature === undefined)
    return { signature: "unsigned", ...base, ...(problem ? { problem } : {}) };
  const check = checkStandardWebhook(secret, id, timestamp, signature, delivery.rawBody, delivery.receivedAt);
  if (!check.ok) return { signature: "invalid", ...base, problem: check.problem };
  return { signature: "verified", ...base, ...(problem ? { problem } : {}) };
}
