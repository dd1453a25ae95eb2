import type { KlingKind } from "./kling-sim-rules.js";
import { resultFileUrl, type SimContext } from "./sim-context.js";
import { observeSimJob, progressOf, readyAt, type SimJob } from "./sim-job.js";

/** A task the simulated Kling API made. */
export interface KlingSimTask {
  taskId: string;
  externalId?: string;
  kind: KlingKind;
  job: SimJob;
  failMsg: string;
  duration: string;
  /** The aspect ratio the create asked for (a 9:16 task's result is the portrait sample). */
  aspect?: string;
  /** Made through the current standard: answered and called back in its shape. */
  current?: boolean;
}

function statusOf(
  ctx: SimContext,
  task: KlingSimTask,
  now: number,
  seen = true,
): "submitted" | "processing" | "succeed" | "failed" {
  const phase = observeSimJob(ctx, "kling", task.job, now, seen);
  if (phase !== "running") return phase === "failed" ? "failed" : "succeed";
  return progressOf(task.job, now) < 0.25 ? "submitted" : "processing";
}

export function describeKlingTask(
  ctx: SimContext,
  task: KlingSimTask,
  now: number,
  seen = true,
): Record<string, unknown> {
  const status = statusOf(ctx, task, now, seen);
  const ready = readyAt(task.job);
  const done = status === "succeed" || status === "failed";
  // What the task charged (a hostile provider's figure when one is set).
  const units = ctx.options().reportedCharge ?? (status === "succeed" ? task.job.cost : 0);
  return {
    task_id: task.taskId,
    task_status: status,
    task_status_msg: status === "failed" ? task.failMsg : "",
    task_info: task.externalId ? { external_task_id: task.externalId } : {},
    watermark_info: { enabled: false },
    ...(done ? { final_unit_deduction: String(units) } : {}),
    created_at: task.job.createdAt,
    updated_at: done ? ready : now,
    task_result: {
      videos:
        status === "succeed"
          ? [
              {
                id: `v${task.taskId}`,
                url: resultFileUrl(ctx, task.taskId, ready, task.aspect),
                watermark_url: resultFileUrl(ctx, task.taskId, ready, task.aspect),
                // Live answers give the measured length, e.g. "5.1" for a 5 s clip.
                duration: Number(task.taskId.slice(-1)) % 2 === 1 ? `${task.duration}.1` : task.duration,
              },
            ]
          : [],
    },
  };
}
