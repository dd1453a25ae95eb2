import { redactDeep } from "../../util/redact.js";
import type { CallbackDelivery, CallbackReport } from "../provider.js";
import { asRecord } from "../read-json.js";
import { checkStandardWebhook, parseCallbackBody } from "../webhook-signature.js";
import { readCurrentTask } from "./kling-current.js";
import { readKlingTask } from "./kling-response.js";

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
    const legacy = body && (body.task_id !== undefined || body.task_status !== undefined);
    const task = body ? (legacy ? readKlingTask(body) : readCurrentTask(body)) : undefined;
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
