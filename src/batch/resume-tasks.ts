import type { TaskRow } from "../ledger/types.js";
import { isProviderError } from "../providers/provider-error.js";
import { setting } from "../util/setting-name.js";
import type { BatchContext } from "./batch-context.js";
import { lineOf } from "./line-of.js";
import { taskRef } from "./task-ref.js";

/** What settling an earlier run's submissions needs. */
export type ResumeContext = Pick<
  BatchContext,
  "jobs" | "log" | "options" | "provider" | "signal" | "statuses" | "tasks"
>;

const INTERRUPTED_MESSAGE = `the previous run stopped while this row's submission was on the wire, so it may be paid already; check the provider's dashboard, then run again with ${setting("resubmitUnknown")} to submit it anyway`;

/**
 * Settles what earlier runs left undecided, before anything new is submitted:
 * - a `submitting` task: the process died while a create was in flight, so the task may exist and
 *   be billed;
 * - an `unknown` task (its row still unknown): a create whose answer was lost.
 * Providers with an idempotency key are asked: found → the row follows that task; definitely
 * absent → the row is submitted again. Without one, an interrupted create becomes `unknown`, and
 * unknown rows are resubmitted only when the user says so (--resubmit-unknown).
 */
export async function resumeInterruptedSubmissions(ctx: ResumeContext): Promise<string[]> {
  /** Rows the provider could have told about but did not answer for: never resubmitted blindly. */
  const undecided: string[] = [];
  for (const task of ctx.tasks.listByState("submitting")) {
    if (await reconcile(ctx, task, "interrupted")) continue;
    if (ctx.provider.findTaskByExternalId) undecided.push(task.row_key);
    ctx.tasks.recordUnknown(task, "INTERRUPTED", INTERRUPTED_MESSAGE);
    ctx.log.warn(
      `line ${lineOf(ctx.jobs, task)}: the previous run stopped while submitting this row; marked unknown (not resubmitted)`,
    );
  }
  if (ctx.provider.findTaskByExternalId) {
    for (const task of ctx.tasks.listByState("unknown")) {
      // Only this provider can say whether its own create took effect; another provider's unknown
      // task stays unknown (asking the wrong provider would answer "absent" and pay twice).
      // A task with an id was made: the provider no longer knowing it is no proof that it was not.
      if (
        task.provider === ctx.provider.name &&
        task.task_id === null &&
        ctx.jobs.get(task.row_key)?.status === "unknown" &&
        !(await reconcile(ctx, task, "unknown"))
      )
        undecided.push(task.row_key);
    }
  }
  await reviveForgottenTasks(ctx);
  ctx.jobs.releaseOrphanedSubmitting();
  return undecided;
}

/**
 * Tasks given up because the provider said it did not know them (another key, an outage) are asked
 * once more on every run before anything is resubmitted: one the provider knows again is followed
 * (and collected), never paid for a second time by --resubmit-unknown.
 */
async function reviveForgottenTasks(ctx: ResumeContext): Promise<void> {
  for (const task of ctx.tasks.listByState("unknown")) {
    if (task.provider !== ctx.provider.name || task.task_id === null || task.error_code !== "NOT_FOUND")
      continue;
    try {
      await ctx.statuses.acquire(ctx.signal);
      await ctx.provider.getTask(taskRef(task), ctx.signal);
    } catch (error) {
      if (ctx.signal.aborted) return;
      if (!isProviderError(error)) throw error;
      continue; // still not known (or not reachable now): it stays unknown
    }
    ctx.tasks.recordRevived(task);
    ctx.log.info(
      `line ${lineOf(ctx.jobs, task)}: ${ctx.provider.name} knows task ${task.task_id} again; following it`,
    );
  }
}

/** Asks the provider whether the create took effect; false when it cannot say. */
async function reconcile(
  ctx: ResumeContext,
  task: TaskRow,
  what: "interrupted" | "unknown",
): Promise<boolean> {
  if (!ctx.provider.findTaskByExternalId) return false;
  const line = lineOf(ctx.jobs, task);
  const name = ctx.provider.name;
  try {
    const found = await ctx.provider.findTaskByExternalId(
      {
        externalId: task.external_id,
        request: JSON.parse(task.request_json),
        createdAt: task.created_at,
        keySent: task.created_at >= ctx.options.idempotencyKeysSince,
      },
      ctx.signal,
    );
    if (found) {
      ctx.tasks.recordReconciled(task, found.taskId);
      ctx.log.info(
        `line ${line}: the ${what} submission did reach ${name} (task ${found.taskId}); following it`,
      );
    } else if (ctx.options.previousRunMayBeAlive) {
      // The run that held the ledger may still be alive (suspended): its create may reach the
      // provider after this lookup. Unknown, not "never created": a later run looks again.
      if (what === "interrupted")
        ctx.tasks.recordUnknown(
          task,
          "INTERRUPTED",
          `${INTERRUPTED_MESSAGE}; the run that held the ledger before may still be alive, so ${name} not knowing it yet proves nothing`,
        );
      ctx.log.warn(
        `line ${line}: the run that held the ledger before may still be sending this row's create; marked unknown (looked up again on the next run)`,
      );
    } else {
      ctx.tasks.recordRejected(
        task,
        "NOT_CREATED",
        `the ${what} submission never reached ${name}`,
        "pending",
      );
      ctx.log.info(`line ${line}: the ${what} submission never reached ${name}; it will be submitted`);
    }
    return true;
  } catch (error) {
    if (!isProviderError(error)) throw error;
    ctx.log.warn(`line ${line}: cannot look up the ${what} submission yet (${error.message})`);
    return false;
  }
}
