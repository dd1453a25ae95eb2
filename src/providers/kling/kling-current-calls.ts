import { FrameChangedError, inlineFrame, isFrameReference } from "../../frames/inline-frame.js";
import type { ApiCall } from "../provider-call.js";
import { isProviderError, ProviderError } from "../provider-error.js";
import { asRecord } from "../read-json.js";
import { type KlingCurrentRequest, readCurrentTask } from "./kling-current.js";
import type { KlingCall } from "./kling-response.js";

/** Sends a frame's Base64 in place of its reference; a file changed since it was checked is not sent. */
export async function inlineReference(value: unknown): Promise<unknown> {
  if (!isFrameReference(value)) return value;
  try {
    return await inlineFrame(value);
  } catch (error) {
    if (!(error instanceof FrameChangedError)) throw error;
    // Nothing was sent: no task exists. Not the row's fault either: it waits for the next run,
    // which checks the file anew.
    throw new ProviderError(error.message, { kind: "transient", code: "FRAME_CHANGED" });
  }
}

/** A legacy create body with each local frame's Base64 in place of its reference (checked against its hash). */
export async function inlineLegacyFrames(request: unknown): Promise<unknown> {
  const body = { ...(request as Record<string, unknown>) };
  for (const field of ["image", "image_tail"]) {
    if (body[field] === undefined) continue;
    body[field] = await inlineReference(body[field]);
  }
  return body;
}

/** The external id a stored create carries, in either standard. */
export function externalIdOf(request: unknown): string | undefined {
  const r = asRecord(request);
  const id = asRecord(asRecord(r?.body)?.options)?.external_task_id ?? r?.external_task_id;
  return typeof id === "string" && id !== "" ? id : undefined;
}

/** `POST /text-to-video/{model}` or `/image-to-video/{model}`: the new task's `data.id`. */
export async function createCurrentTask(
  call: ApiCall<KlingCall, unknown>,
  request: KlingCurrentRequest,
  signal?: AbortSignal,
): Promise<{ taskId: string }> {
  const body = { ...request.body };
  if (Array.isArray(body.contents))
    body.contents = await Promise.all(
      body.contents.map(async (item) => {
        const c = asRecord(item);
        return c && "url" in c ? { ...c, url: await inlineReference(c.url) } : item;
      }),
    );
  const data = asRecord(await call("create", "POST", request.endpoint, body, signal));
  const id = data?.id;
  if (typeof id === "string" && id !== "") return { taskId: id };
  if (typeof id === "number") return { taskId: String(id) };
  throw new ProviderError("Kling accepted the task but its answer holds no data.id", {
    kind: "unknown_outcome",
    code: "KLING_NO_TASK_ID",
  });
}

/**
 * `GET /tasks?external_task_ids=<id>`: the task carrying exactly this external id, or undefined
 * when the answer lists none (or says there is no such resource, 1203). A listed task with another
 * external id proves nothing: an error, asked again later.
 */
export async function findCurrentTask(
  call: ApiCall<KlingCall, unknown>,
  externalId: string,
  signal?: AbortSignal,
): Promise<{ taskId: string } | undefined> {
  let data: unknown;
  try {
    data = await call(
      "lookup",
      "GET",
      `/tasks?external_task_ids=${encodeURIComponent(externalId)}`,
      undefined,
      signal,
    );
  } catch (error) {
    if (isProviderError(error) && error.kind === "not_found") return undefined;
    throw error;
  }
  const items = Array.isArray(data) ? data : [];
  const tasks = items.map(readCurrentTask).filter((t) => t !== undefined);
  const mine = tasks.find((t) => t.externalTaskId === externalId);
  if (mine) return { taskId: mine.taskId };
  if (tasks.length === 0) return undefined;
  throw new ProviderError(
    `Kling's answer to a query by external_task_ids=${externalId} lists tasks that do not carry it`,
    { kind: "transient", code: "KLING_LOOKUP_UNCLEAR" },
  );
}
