import type { TaskRow } from "../ledger/types.js";
import type { TaskSnapshot } from "../providers/provider.js";
import { isProviderError } from "../providers/provider-error.js";
import { redactSecrets } from "../util/redact.js";
import type { BatchContext } from "./batch-context.js";
import type { CallbackHandler, CallbackInbox, CallbackVerdict } from "./callback-types.js";
import { lineOf } from "./line-of.js";

/** What applying callbacks needs: the ledger, the tasks being followed and how to wake or follow one. */
export type InboxContext = Pick<
  BatchContext,
  | "jobs"
  | "log"
  | "outcome"
  | "provider"
  | "settings"
  | "signal"
  | "slots"
  | "spawn"
  | "statuses"
  | "tasks"
  | "wakeups"
  | "watch"
>;

export type { CallbackHandler, CallbackInbox, CallbackVerdict } from "./callback-types.js";

/**
 * Where completion callbacks meet the ledger. A callback is a hint: it wakes the task it names,
 * which then checks its status once — unless a signature over its whole body verified (Kling's
 * Standard Webhooks), in which case its body is the task's state. KIE's signature covers only the
 * task id and a timestamp, so a signed KIE callback is a hint too. Repeats, late callbacks and callbacks for tasks this ledger does not follow are
 * answered 200 and change nothing. A callback for a row whose create answer was lost (`unknown`)
 * names the task that create made: once a status call confirms the task was created with this
 * row's callback address, the row follows it instead of staying unknown.
 */
export function createCallbackInbox(
  ctx: InboxContext,
  urlFor: (externalId: string) => string,
): CallbackInbox {
  const counts = { received: 0, used: 0, ignored: 0, refused: 0 };
  ctx.outcome.callbacks = counts;
  const adopting = new Set<number>();
  const waiters = new Map<number, () => void>();
  /**
   * Task ids named by callbacks that came while their create was still on the wire: if its answer
   * is then lost, the callback will not come again, so what it said is used then.
   */
  const early = new Map<number, { taskId: string; snapshot?: TaskSnapshot }>();
  let warnedRefused = false;

  /** Whether what the provider says of a task fits the row's task (the address it was made with). */
  const fits = (task: TaskRow, snapshot: TaskSnapshot) =>
    (snapshot.externalId === undefined || snapshot.externalId === task.external_id) &&
    (snapshot.callbackUrl === undefined ||
      snapshot.callbackUrl === urlFor(task.external_id) ||
      // The provider's answer had the batch's path secret removed, like everything it sends.
      snapshot.callbackUrl === redactSecrets(urlFor(task.external_id), ctx.provider.secrets));

  /** Starts confirming (once at a time) that `taskId` is the task a lost create made. */
  function startAdopting(task: TaskRow, taskId: string, verified: TaskSnapshot | undefined): void {
    if (adopting.has(task.id)) return;
    adopting.add(task.id);
    ctx.spawn(adopt(task, taskId, verified).finally(() => adopting.delete(task.id)));
  }

  async function adopt(task: TaskRow, taskId: string, verified: TaskSnapshot | undefined): Promise<void> {
    let snapshot = verified;
    if (!snapshot) {
      try {
        await ctx.statuses.acquire(ctx.signal);
        snapshot = await ctx.provider.getTask({ taskId, request: JSON.parse(task.request_json) }, ctx.signal);
      } catch (error) {
        if (ctx.signal.aborted) return;
        if (!isProviderError(error)) throw error;
        ctx.log.warn(
          `line ${lineOf(ctx.jobs, task)}: a callback names task ${taskId} for the submission whose answer was lost, but it could not be confirmed (${error.message}); the row stays unknown`,
        );
        return;
      }
    }
    if (!fits(task, snapshot)) {
      ctx.log.warn(
        `line ${lineOf(ctx.jobs, task)}: a callback names task ${taskId}, which was not created with this row's callback address; ignored`,
      );
      return;
    }
    const current = ctx.tasks.get(task.id);
    if (current.state !== "unknown") return;
    ctx.tasks.recordReconciled(current, taskId);
    ctx.log.info(
      `line ${lineOf(ctx.jobs, task)}: the submission whose answer was lost did reach ${ctx.provider.name} (task ${taskId}, named by its callback); following it`,
    );
    ctx.slots.take();
    // The watcher starts from what was just learned, with no second status call.
    ctx.wakeups.prime(task.id, { snapshot });
    ctx.watch(task.id);
    waiters.get(task.id)?.();
  }

  const handle: CallbackHandler = (externalId, delivery) => {
    counts.received++;
    const ignore = (note: string): CallbackVerdict => {
      counts.ignored++;
      return { status: 200, note };
    };
    if (!ctx.provider.readCallback) return ignore("this provider's callbacks are not read");
    const report = ctx.provider.readCallback(delivery);
    if (report.signature === "invalid") {
      counts.refused++;
      if (!warnedRefused) {
        warnedRefused = true;
        ctx.log.warn(
          `a callback was refused: ${report.problem ?? "its signature does not verify"}. If every callback is refused, check the webhook key; tasks are still checked by polling`,
        );
      }
      return { status: 401, note: "signature does not verify" };
    }
    const task = ctx.tasks.findByExternalId(externalId);
    if (!task || task.provider !== ctx.provider.name) return ignore("no such task in this batch");
    if (report.taskId && task.task_id && report.taskId !== task.task_id)
      return ignore("the task id does not match this row's task");
    const snapshot = report.snapshot;
    // Only a signature over the whole body lets the body decide (see CallbackReport.signature).
    const trusted = report.signature === "verified" && snapshot !== undefined && fits(task, snapshot);
    if (task.state === "running") {
      early.delete(task.id); // its create was answered: nothing to keep
      const final = snapshot?.state === "succeeded" || snapshot?.state === "failed";
      // An unsigned "still running" says nothing a status call would need to confirm.
      if (!trusted && snapshot && !final) return ignore("not final");
      const woke = ctx.wakeups.wake(task.id, trusted ? { snapshot } : {});
      if (woke === "unfollowed") return ignore("not followed by this run");
      if (woke === "duplicate") return ignore("a repeat: the task is being checked already");
      counts.used++;
      return { status: 200, note: "woke the task" };
    }
    if (task.state === "submitting") {
      // The callback beat the create's answer here. Its task id is kept in case that answer is
      // lost; the task itself is followed in a moment.
      if (report.taskId) early.set(task.id, { taskId: report.taskId, ...(trusted ? { snapshot } : {}) });
      if (!trusted && snapshot && snapshot.state !== "succeeded" && snapshot.state !== "failed")
        return ignore("not final");
      ctx.wakeups.prime(task.id, trusted ? { snapshot } : {});
      counts.used++;
      return { status: 200, note: "kept for the task about to be followed" };
    }
    if (task.state === "unknown" && report.taskId) {
      startAdopting(task, report.taskId, trusted ? snapshot : undefined);
      counts.used++;
      return { status: 200, note: "confirming the lost submission" };
    }
    return ignore("already settled");
  };

  return {
    handle,
    /** Rows whose create answer was lost in this run and that still wait for their callback. */
    waiting: () => waiters.size,
    /**
     * Keeps the run alive until the callback of a create whose answer was lost arrives (and the row
     * follows its task), the wait is over, or the run stops.
     */
    awaitCallback(taskRowId: number): Promise<void> {
      const waitMs = Math.min(ctx.settings.taskTimeoutMs, ctx.settings.timings.lostCreateCallbackMs);
      const named = early.get(taskRowId);
      early.delete(taskRowId);
      return new Promise<void>((resolve) => {
        const done = () => {
          clearTimeout(timer);
          ctx.signal.removeEventListener("abort", done);
          waiters.delete(taskRowId);
          resolve();
        };
        const timer = setTimeout(() => {
          if (ctx.tasks.get(taskRowId).state === "unknown")
            ctx.log.warn(
              `line ${lineOf(ctx.jobs, ctx.tasks.get(taskRowId))}: no callback came within ${Math.round(waitMs / 60_000)} min for the submission whose answer was lost; it stays unknown`,
            );
          done();
        }, waitMs);
        waiters.set(taskRowId, done);
        ctx.signal.addEventListener("abort", done, { once: true });
        // Named by a callback that came while the create was on the wire: confirm that task now.
        if (named) startAdopting(ctx.tasks.get(taskRowId), named.taskId, named.snapshot);
      });
    },
  };
}
