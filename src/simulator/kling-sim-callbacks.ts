import type { SimContext } from "./sim-context.js";
import { readyAt, type SimJob } from "./sim-job.js";

/** What the callbacks need of a simulated Kling task. */
interface CalledBackTask {
  taskId: string;
  externalId?: string;
  job: SimJob;
}

/** The new standard's callback body (`id`, `status`, `outputs`, `billing`) from a legacy task object. */
function newStandardBody(task: CalledBackTask, legacy: Record<string, unknown>): Record<string, unknown> {
  const videos = (legacy.task_result as { videos: { id: string; url: string; duration: string }[] }).videos;
  return {
    id: task.taskId,
    status: legacy.task_status === "succeed" ? "succeeded" : legacy.task_status,
    message: legacy.task_status_msg,
    create_time: task.job.createdAt,
    update_time: legacy.updated_at,
    external_id: task.externalId ?? "",
    outputs: videos.map((v) => ({
      type: "video",
      id: v.id,
      url: v.url,
      watermark_url: v.url,
      duration: v.duration,
    })),
    billing:
      legacy.final_unit_deduction !== undefined
        ? [{ charge_type: "unit", amount: Number(legacy.final_unit_deduction), currency: "unit" }]
        : [],
  };
}

/**
 * Kling calls `callback_url` on every status change: submitted, processing, then succeed or
 * failed. The legacy body is the query's `data` (`describe(at)`: the task as it stands at `at`);
 * every third task is called back in the new standard's shape, which the docs describe too.
 */
export function scheduleKlingCallbacks(
  ctx: SimContext,
  task: CalledBackTask,
  url: string,
  createdAt: number,
  describe: (at: number) => Record<string, unknown>,
): void {
  ctx.stats.callbackUrlsSeen.add(url); // a hostile provider echoes it (and the secret it holds)
  const newShape = Number(task.taskId.slice(-1)) % 3 === 0;
  const body = (at: number) => {
    const described = describe(Math.max(Date.now(), at));
    // A current-standard task is described in its own shape already.
    if (described.task_status === undefined) return described;
    return newShape ? newStandardBody(task, described) : described;
  };
  const changes = [
    [createdAt + 10, false],
    [createdAt + Math.round(task.job.genMs * 0.25), false],
    [readyAt(task.job), true],
  ] as const;
  for (const [at, final] of changes) {
    ctx.callbacks.schedule(
      {
        style: "kling",
        url,
        taskId: task.taskId,
        final,
        body: () => body(at),
        forgedBody: (outcome) =>
          describe(createdAt).task_status === undefined
            ? {
                ...describe(createdAt),
                status: outcome === "success" ? "succeeded" : "failed",
                message: outcome === "success" ? "" : "forged: content policy",
                outputs:
                  outcome === "success"
                    ? [
                        {
                          type: "video",
                          id: "forged",
                          url: `${ctx.baseUrl()}/files/forged.mp4`,
                          duration: "5",
                        },
                      ]
                    : [],
                billing: [{ charge_type: "unit", amount: "0" }],
              }
            : outcome === "success"
              ? {
                  ...describe(createdAt),
                  task_status: "succeed",
                  final_unit_deduction: "0",
                  task_result: {
                    videos: [{ id: "forged", url: `${ctx.baseUrl()}/files/forged.mp4`, duration: "5" }],
                  },
                }
              : {
                  ...describe(createdAt),
                  task_status: "failed",
                  task_status_msg: "forged: content policy",
                  final_unit_deduction: "0",
                },
      },
      at - createdAt,
    );
  }
}
