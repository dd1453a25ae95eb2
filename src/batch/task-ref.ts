import type { TaskRow } from "../ledger/types.js";
import type { TaskRef } from "../providers/provider.js";

/** What a provider needs to look a ledger task up: its ID and the request that created it. */
export function taskRef(task: TaskRow): TaskRef {
  return { taskId: task.task_id as string, request: JSON.parse(task.request_json) };
}
