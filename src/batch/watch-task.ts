import type { TaskRow } from "../ledger/types.js";
import type { TaskSnapshot } from "../providers/provider.js";
import { isProviderError } from "../providers/provider-error.js";
import { calculateRetryDelay } from "../providers/retry-delay.js";
import { setting } from "../util/setting-name.js";
import type { BatchContext } from "./batch-context.js";
import { checkCharge } from "./check-charge.js";
import { lineOf } from "./line-of.js";
import { taskRef } from "./task-ref.js";
import type { Wakeup } from "./task-wakeups.js";

/** What following a task needs: the ledger, the provider and its status budget, the schedule, the wake-ups. */
export type WatchContext = Pick<
  BatchContext,
  | "generationTimes"
  | "halt"
  | "jobs"
  | "learned"
  | "log"
  | "options"
  | "outcome"
  | "planner"
  | "provider"
  | "settings"
  | "signal"
  | "statuses"
  | "tasks"
  | "wakeups"
>;

export type WatchResult = "generated" | "failed" | "retry" | "stopped" | "unresolved";

/** How many times a row is submitted again after the provider's own failures that charged nothing. */
export const MAX_PROVIDER_FAILURE_RETRIES = 2;

/**
 * Polls one in-flight task on its own schedule until it is final, then records the outcome and
 * frees its slot. A failed generation is recorded, never resubmitted here (that is --retry-failed).
 * Provider state is written only when it changes, so polling costs no ledger writes.
 */
export async function watchTask(ctx: WatchContext, task: TaskRow, resumed: boolean): Promise<WatchResult> {
  const signal = ctx.signal;
  const timings = ctx.settings.timings;
  const startedAt = Date.parse(task.submitted_at ?? new Date().toISOString());
  // The timeout counts this run's time on the task: a task an earlier run left (the night before)
  // is still checked, not given up unseen because it is older than the timeout.
  const followedSince = resumed ? Date.now() : startedAt;
  const ref = taskRef(task); // parsed once, not on every poll
  const batched = ctx.provider.statusIsBatched?.(ref) === true;
  let lastState = task.provider_state;
  let polls = 0;
  let errors = 0;
  let notFound = 0;
  let extraDelay = 0;
  // A task found in the ledger may have finished long ago: look at once rather than at age/8.
  let checkSoon = resumed;
  const kind = kindOf(ctx, task);
  /** When the last answer said "still running" (for the learned generation time). */
  let lastRunningAt = startedAt;
  // A task made with this run's callback address is checked only as a safety net: its callback
  // wakes it. Others (made by a run without callbacks, or another address) are polled as usual.
  const callbacks = ctx.options.callbacks;
  const callsBack = callbacks !== undefined && task.request_json.includes(callbacks.urlFor(task.external_id));
  ctx.wakeups.follow(task.id);
  // A batched query takes no budget; a task waiting for its callback is checked only as a safety net.
  ctx.planner.follow(task.id, kind, startedAt, !batched && !callsBack);
  try {
    return await follow();
  } finally {
    ctx.wakeups.forget(task.id);
    ctx.planner.forget(task.id);
  }

  async function follow(): Promise<WatchResult> {
    for (;;) {
      const age = Date.now() - startedAt;
      if (Date.now() - followedSince > ctx.settings.taskTimeoutMs) {
        ctx.log.warn(
          `line ${lineOf(ctx.jobs, task)}: task ${task.task_id} is still generating after ${Math.round(age / 60_000)} min; left for a later run`,
        );
        ctx.tasks.recordProgress(task, lastState ?? "unknown", polls);
        ctx.outcome.unresolved++;
        return "unresolved";
      }
      let wakeup: Wakeup | undefined;
      try {
        const delay = checkSoon
          ? ctx.settings.pollIntervalMs
          : callsBack
            ? Math.max(
                ctx.settings.pollIntervalMs,
                Math.round((callbacks?.safetyPollMs ?? 0) * (1 + Math.random() * 0.1)),
              )
            : ctx.planner.delay(kind, age, Date.now(), Math.random, batched);
        const urgent = checkSoon;
        checkSoon = false;
        wakeup = await ctx.wakeups.sleep(task.id, delay + extraDelay, signal);
        // Checks that wait for the budget go likeliest-finished first (a resumed task's first: at once).
        if (!wakeup?.snapshot && !batched)
          await ctx.statuses.acquire(signal, () =>
            urgent ? 1 : ctx.planner.priority(kind, Date.now() - startedAt, lastRunningAt - startedAt),
          );
      } catch (error) {
        if (!signal.aborted) throw error;
        if (polls > 0) ctx.tasks.recordProgress(task, lastState ?? "unknown", polls);
        return "stopped";
      }
      extraDelay = 0;
      let snapshot: TaskSnapshot;
      try {
        if (wakeup?.snapshot)
          snapshot = wakeup.snapshot; // a verified callback: no status call
        else {
          polls++;
          snapshot = await ctx.provider.getTask(ref, signal);
        }
        errors = 0;
      } catch (error) {
        if (signal.aborted) return "stopped";
        if (!isProviderError(error)) throw error;
        if (error.kind === "rate_limited") {
          // Not an answer about the task: ask again once the shared pause is over (the limiter
          // holds every check until then), not a whole poll gap later — for a task an earlier run
          // left, that gap is 30 s.
          ctx.statuses.pauseFor(error.retryAfterMs ?? 1000);
          ctx.statuses.refused();
          checkSoon = true;
          continue;
        }
        if (error.kind === "auth" || error.kind === "credits") {
          ctx.halt(error.kind, error.message);
          ctx.log.warn(
            `line ${lineOf(ctx.jobs, task)}: cannot check task ${task.task_id}: ${error.message}; it stays in the ledger for a later run`,
          );
          ctx.outcome.unresolved++;
          return "unresolved";
        }
        if (error.kind === "not_found") {
          // Not server trouble: look again on the normal schedule (a new task may take a moment to
          // show), and give it up for this run only after five answers and a minute since it was made.
          const pastGrace = Date.now() - startedAt >= timings.notFoundGraceMs;
          // Past the grace a task is not "too new to show": the next answers come at the shortest gap.
          if (++notFound < 5 || !pastGrace) {
            checkSoon = pastGrace;
            continue;
          }
          if (polls > 0) ctx.tasks.recordProgress(task, lastState ?? "unknown", polls);
          const now = ctx.tasks.recordNotFound(
            task,
            (runs) =>
              `${ctx.provider.name} does not know task ${task.task_id} (said so on ${runs} run(s): another API key or account, or its records expired); ` +
              `if it was never made, or you accept paying again, run with ${setting("resubmitUnknown")} (it may be paid twice)`,
            // Given up as `unknown` on the second run that hears it, if far enough after the first
            // (two quick runs during an outage, or with a key fixed in between, prove nothing), or
            // once it has not been known for a day.
            { minApart: timings.notFoundApartMs, giveUp: timings.notFoundGiveUpMs },
          );
          if (now === "unknown") {
            ctx.log.error(`line ${lineOf(ctx.jobs, task)}: ${ctx.jobs.get(task.row_key)?.error}`);
            return "failed";
          }
          ctx.log.error(
            `line ${lineOf(ctx.jobs, task)}: the provider does not know task ${task.task_id} (${error.message}); was the API key changed? It stays in the ledger: if the next run hears the same, the row becomes unknown`,
          );
          ctx.outcome.unresolved++;
          return "unresolved";
        }
        // Transient trouble (or a bad answer): back off on top of the normal schedule, keep going.
        errors++;
        extraDelay = calculateRetryDelay({
          attempt: errors,
          baseMs: timings.retryBaseMs,
          capMs: 2 * timings.retryCapMs,
          ...(error.retryAfterMs !== undefined ? { retryAfterMs: error.retryAfterMs } : {}),
        });
        continue;
      }

      if (notFound > 0 || task.not_found_runs > 0) {
        if (task.not_found_runs > 0) ctx.tasks.clearNotFound(task);
        task.not_found_runs = 0;
        notFound = 0;
      }
      if (snapshot.state === "queued" || snapshot.state === "running") {
        lastRunningAt = Date.now();
        if (!resumed) ctx.generationTimes.recordRunning(kind, lastRunningAt - startedAt);
        if (snapshot.providerState !== lastState) {
          ctx.tasks.recordProgress(task, snapshot.providerState, polls);
          polls = 0;
          lastState = snapshot.providerState;
        }
        continue;
      }
      const checked = checkCharge(
        {
          ...(snapshot.chargedCredits !== undefined ? { chargedCredits: snapshot.chargedCredits } : {}),
          ...(snapshot.chargedUsd !== undefined ? { chargedUsd: snapshot.chargedUsd } : {}),
        },
        task,
        snapshot.state === "succeeded",
      );
      const warning = checked.warning ?? snapshot.chargeNote;
      const charge = { ...checked.charge, ...(warning ? { warning } : {}) };
      if (warning) ctx.log.warn(`line ${lineOf(ctx.jobs, task)}: ${warning}`);
      if (snapshot.state === "succeeded") {
        // It ended between the last "running" answer and this one: learn the middle of that gap.
        // A resumed task's start is not this run's, so it teaches nothing.
        if (!resumed) {
          // It ended between the last "running" answer and this one: the middle of that gap. A
          // callback comes as it ends; a task found done at its first check ended by now at most.
          const now = Date.now();
          const ms =
            wakeup || lastRunningAt === startedAt ? now - startedAt : (lastRunningAt + now) / 2 - startedAt;
          ctx.generationTimes.record(kind, ms);
          ctx.learned(kind, ms);
        }
        ctx.tasks.recordGenerated(
          task,
          snapshot.providerState,
          snapshot.videoUrl as string,
          charge,
          polls,
          snapshot.videoId,
        );
        return "generated";
      }
      const reason = `${snapshot.errorMessage ?? "generation failed"}${snapshot.errorCode ? ` (code ${snapshot.errorCode})` : ""}`;
      ctx.tasks.recordFailed(
        task,
        snapshot.providerState,
        snapshot.errorCode ?? null,
        `generation failed: ${reason}`,
        charge,
        polls,
      );
      if (snapshot.retryable && ctx.tasks.recordRetryableFailure(task, MAX_PROVIDER_FAILURE_RETRIES)) {
        ctx.log.notice(
          `line ${lineOf(ctx.jobs, task)}: ${ctx.provider.name} failed it on its side (${reason}) and charged nothing; submitting it again`,
        );
        return "retry";
      }
      ctx.log.notice(`line ${lineOf(ctx.jobs, task)}: failed: ${reason}`);
      return "failed";
    }
  }
}

/**
 * The kind of job a task is, for learning how long such generations take: the model on its provider,
 * duration, sound, mode, resolution, and whether it starts from an image.
 */
function kindOf(ctx: WatchContext, task: TaskRow): string {
  const spec = ctx.jobs.get(task.row_key)?.spec_json;
  type Fields = { duration?: number; sound?: boolean; mode?: string; resolution?: string; imageUrl?: string };
  const parsed = spec ? (JSON.parse(spec) as Fields) : {};
  return [
    `${task.provider}:${task.model}`,
    parsed.duration ?? "",
    parsed.sound ? "sound" : "",
    parsed.mode ?? "",
    parsed.resolution ?? "",
    parsed.imageUrl ? "image" : "",
  ].join("|");
}
