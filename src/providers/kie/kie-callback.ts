import { redactDeep } from "../../util/redact.js";
import type { CallbackDelivery, CallbackReport, TaskSnapshot } from "../provider.js";
import { asRecord } from "../read-json.js";
import { checkKieSignature, parseCallbackBody } from "../webhook-signature.js";
import { readKieTask } from "./kie-response.js";

function idOf(data: Record<string, unknown> | undefined): string | undefined {
  const rawId = data?.taskId ?? data?.task_id;
  return typeof rawId === "string" && rawId !== ""
    ? rawId
    : typeof rawId === "number"
      ? String(rawId)
      : undefined;
}

/**
 * KIE's completion callback (docs/provider-contracts.md, KIE callbacks): `{code: 200|501, msg,
 * data}` with recordInfo's fields in `data`. The task id is `data.taskId` (the CN sample code reads
 * `data.task_id`, so that is read too). With a webhook key, `X-Webhook-Signature` must verify; a
 * callback without the headers is unsigned (HMAC is a setting on KIE's side), never trusted.
 */
export function readKieCallback(
  delivery: CallbackDelivery,
  webhookKey: string | undefined,
  secrets: readonly string[] = [],
): CallbackReport {
  const parsed = parseCallbackBody(delivery.rawBody);
  // The signature is over the id as sent; everything read from the body is read with every known
  // secret removed first, before any reader cuts a message short.
  const signedId = idOf(asRecord(asRecord(parsed)?.data));
  const data = asRecord(asRecord(redactDeep(parsed, secrets))?.data);
  const taskId = idOf(data);
  let snapshot: TaskSnapshot | undefined;
  let problem: string | undefined;
  try {
    snapshot = data ? readKieTask(data) : undefined;
  } catch (error) {
    problem = (error as Error).message; // "done but no result URL": a status call will tell
  }
  if (!data || !taskId) problem = "its body holds no data.taskId";
  const base = { ...(taskId ? { taskId } : {}), ...(snapshot ? { snapshot } : {}) };
  const timestamp = delivery.headers["x-webhook-timestamp"];
  const signature = delivery.headers["x-webhook-signature"];
  if (!webhookKey || timestamp === undefined || signature === undefined)
    return { signature: "unsigned", ...base, ...(problem ? { problem } : {}) };
  if (!taskId)
    return { signature: "invalid", problem: "its body holds no data.taskId to check the signature against" };
  const check = checkKieSignature(webhookKey, signedId ?? taskId, timestamp, signature, delivery.receivedAt);
  if (!check.ok) return { signature: "invalid", ...base, problem: check.problem };
  // The HMAC covers `taskId.timestamp`, not the body: the sender is KIE, what the body says is not.
  return { signature: "verified-id", ...base, ...(problem ? { problem } : {}) };
}
