import { isProviderError } from "../providers/provider-error.js";
import type { BatchContext } from "./batch-context.js";

/**
 * Settles what an earlier run left on the wire. A `submitting` task means the process died while
 * a create was in flight: the task may exist and be billed. Providers with an idempotency key are
 * asked (found → running; definitely absent → safe to submit again); otherwise the row becomes
 * `unknown` and is resubmitted only when the user says so (--resubmit-unknown).
 */
export async function resumeInterruptedSubmissions(ctx: BatchContext): Promise<void> {
  const interrupted = ctx.tasks.listByState("submitting");
  for (const task of interrupted) {
    const line = ctx.jobs.get(task.row_key)?.line ?? "?";
    if (ctx.provider.findTaskByExternalId) {
      try {
        const found = await ctx.provider.findTaskByExternalId(
          task.external_id,
          JSON.parse(task.request_json),
          ctx.options.stopSignal,
        );
        if (found) {
          ctx.tasks.recordReconciled(task, found.taskId);
          ctx.log.info(
            `line ${line}: the interrupted submission did reach ${ctx.provider.name} (task ${found.taskId}); following it`,
          );
        } else {
          ctx.tasks.recordRejected(
            task,
            "NOT_CREATED",
            `the interrupted submission never reached ${ctx.provider.name}`,
            "pending",
          );
          ctx.log.info(
            `line ${line}: the interrupted submission never reached ${ctx.provider.name}; it will be submitted`,
          );
        }
        continue;
      } catch (error) {
        if (!isProviderError(error)) throw error;
        ctx.log.warn(`line ${line}: cannot look up the interrupted submission (${error.message})`);
      }
    }
    ctx.tasks.recordUnknown(
      task,
      "INTERRUPTED",
      "the previous run stopped while this row's submission was on the wire, so it may be paid already; check the provider's dashboard, then run again with --resubmit-unknown to submit it anyway",
    );
    ctx.log.warn(
      `line ${line}: the previous run stopped while submitting this row; marked unknown (not resubmitted)`,
    );
  }
  // A run that died while waiting to retry a refused create left the row marked submitting.
  ctx.options.db
    .prepare(`UPDATE jobs SET status = 'pending' WHERE status = 'submitting'
      AND NOT EXISTS (SELECT 1 FROM tasks t WHERE t.row_key = jobs.row_key AND t.state = 'submitting')`)
    .run();
}
