import type { ApiCall } from "../provider-call.js";
import { isProviderError, ProviderError } from "../provider-error.js";
import type { KlingKind } from "./kling-request.js";
import { type KlingCall, type KlingTask, readKlingTasks } from "./kling-response.js";

/**
 * Finds the task a create made, by the external_task_id it carried. A task is accepted only when
 * its own external id equals the one sent, wherever it stands in the answer: the account may hold
 * other tools' tasks (with no external id), and a list that ignores its filter returns them.
 * - The path form `/v1/videos/{kind}/{external_task_id}` is the documented lookup: its "not found"
 *   is the only answer that says no task was made.
 * - The query form `?external_task_id=` (UNCONFIRMED: what some clients use) is asked when the
 *   path form says not found; it can confirm a task (an exact match), never that none exists.
 * Undefined only when the path form says there is no such task and the query form shows none;
 * an answer that names a task that is not this one proves nothing either way (an error: ask later).
 */
export async function findLegacyTask(
  call: ApiCall<KlingCall, unknown>,
  externalId: string,
  kind: KlingKind,
  signal?: AbortSignal,
): Promise<{ taskId: string } | undefined> {
  const id = encodeURIComponent(externalId);
  let absent = false;
  for (const path of [`/v1/videos/${kind}/${id}`, `/v1/videos/${kind}?external_task_id=${id}`]) {
    let tasks: KlingTask[];
    try {
      tasks = readKlingTasks(await call("lookup", "GET", path, undefined, signal));
    } catch (error) {
      if (isProviderError(error) && error.kind === "not_found") {
        if (path.includes("?")) break;
        absent = true;
        continue;
      }
      throw error;
    }
    const mine = tasks.find((task) => task.externalTaskId === externalId);
    if (mine) return { taskId: mine.taskId };
    // The documented path form answered with a task that does not carry our id: it proves nothing.
    if (!path.includes("?") && tasks.length > 0) break;
  }
  if (absent) return undefined;
  throw new ProviderError(
    `Kling's answers to a lookup by external_task_id ${externalId} name no task carrying that id, and do not say none exists`,
    { kind: "transient", code: "KLING_LOOKUP_UNCLEAR" },
  );
}
