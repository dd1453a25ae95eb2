import { setMaxListeners } from "node:events";
import { removeStalePartFiles } from "../download/download-video.js";
import { sleep } from "../util/sleep.js";
import type { BatchContext, BatchOutcome, RunBatchOptions } from "./batch-context.js";
import { createCallbackInbox } from "./callback-inbox.js";
import { collectVideo } from "./collect-video.js";
import { DownloadQueue } from "./download-queue.js";
import { GenerationTimes } from "./generation-times.js";
import { RateLimiter } from "./rate-limiter.js";
import { resumeInterruptedSubmissions } from "./resume-tasks.js";
import { Slots } from "./slots.js";
import { submitJob } from "./submit-job.js";
import { TaskWakeups } from "./task-wakeups.js";
import { watchTask } from "./watch-task.js";

const PAGE = 200;
const PROGRESS_FLUSH_MS = 1000;

/**
 * Runs a batch from the ledger: settles interrupted submissions, follows tasks already in flight,
 * downloads finished videos, then submits pending rows while keeping every allowed slot busy.
 * Submissions, polls and downloads run side by side, so a slow download never holds up a submit.
 *
 * Expected outcomes are ledger values; an unexpected error (a bug) anywhere aborts every other
 * piece of work, and only once all of it has settled does runBatch reject with that first error —
 * so the caller never closes the ledger under work that is still writing to it.
 */
export async function runBatch(options: RunBatchOptions): Promise<BatchOutcome> {
  const fault = new AbortController();
  let firstError: { error: unknown } | undefined;
  const fail = (error: unknown) => {
    if (firstError) return;
    firstError = { error };
    fault.abort(error);
  };
  const running = new Set<Promise<unknown>>();
  const track = (work: Promise<unknown>) => {
    const settled = work.catch(fail).finally(() => running.delete(settled));
    running.add(settled);
  };
  const signal = AbortSignal.any([options.stopSignal, fault.signal]);
  const submitGate = new AbortController();
  // Every sleeping poll, waiting submit and download listens on these: one listener per task in flight.
  setMaxListeners(0, options.stopSignal, signal, submitGate.signal);
  const onStop = () => submitGate.abort(signal.reason);
  signal.addEventListener("abort", onStop, { once: true });
  if (signal.aborted) onStop();

  const ctx: BatchContext = {
    options,
    signal,
    jobs: options.stores.jobs,
    tasks: options.stores.tasks,
    provider: options.provider,
    log: options.log,
    slots: new Slots(options.concurrency),
    creates: new RateLimiter(options.provider.limits.creates.max, options.provider.limits.creates.windowMs),
    statuses: new RateLimiter(
      options.provider.limits.statuses.max,
      options.provider.limits.statuses.windowMs,
    ),
    submitGate,
    generationTimes: new GenerationTimes(),
    wakeups: new TaskWakeups(),
    outcome: { submitted: 0, interrupted: false, unresolved: 0, unpriced: 0 },
    halt(code, message) {
      if (!this.outcome.stopReason && !signal.aborted) {
        this.outcome.stopReason = { code, message };
        options.log.warn(`${message}. No new submissions; tasks in flight are still followed.`);
      }
      submitGate.abort();
    },
    changed: () => options.onChange?.(),
    async downloadRoom(gate) {
      while (downloads.waiting >= backlogMax) await sleep(50, gate);
    },
    collect(taskRowId) {
      downloads.push(taskRowId);
    },
    spawn: track,
    watch(taskRowId, resumed = false) {
      track(
        watchTask(ctx, ctx.tasks.get(taskRowId), resumed).then((result) => {
          ctx.slots.release();
          if (result === "generated") ctx.collect(taskRowId);
          if (result === "retry") track(resubmit(ctx, ctx.tasks.get(taskRowId).row_key));
        }),
      );
    },
  };
  // When more finished videos than this wait for a download slot, the network is the bottleneck:
  // submissions wait for it rather than pile up videos whose links may expire (measured at zero
  // latency, the run is also faster end to end this way). Videos an earlier run left come on top,
  // so a resumed run submits at once.
  let backlogMax = Math.max(100, options.downloadConcurrency * 25);
  const downloads = new DownloadQueue(
    options.downloadConcurrency,
    (taskRowId) =>
      signal.aborted ? Promise.resolve("stopped") : collectVideo(ctx, ctx.tasks.get(taskRowId)),
    track,
  );
  const callbacks = options.callbacks;
  if (callbacks) {
    ctx.inbox = createCallbackInbox(ctx, (id) => callbacks.urlFor(id));
    callbacks.attach(ctx.inbox.handle);
  }
  if (options.probe)
    options.probe.waiting = () => {
      const blocked = ctx.creates.blocked();
      const lost = ctx.inbox?.waiting() ?? 0;
      if (downloads.waiting >= backlogMax)
        return `submissions wait for downloads (${downloads.waiting} videos queued)`;
      if (!blocked)
        return lost > 0
          ? `waiting for the callbacks of ${lost} submission(s) whose answer was lost`
          : undefined;
      const at = new Date(blocked.until).toISOString().slice(11, 19);
      const limit = options.provider.limits.creates;
      return blocked.paused
        ? `submissions paused by ${options.provider.name}'s rate limit until ${at} UTC`
        : `submissions wait for ${options.provider.name}'s limit (${limit.max} per ${limit.windowMs / 1000} s) until ${at} UTC`;
    };

  // Progress (provider states, poll counts) is written for every task at once, once a second.
  const flush = () => {
    try {
      ctx.tasks.flushProgress();
    } catch (error) {
      fail(error); // a full disk (SQLITE_FULL): end the run like any other error, not crash in a timer
    }
  };
  const progressTimer = setInterval(flush, PROGRESS_FLUSH_MS);
  try {
    await removeStalePartFiles(options.videosDir);
    await resumeInterruptedSubmissions(ctx);
    if (options.resubmitUnknown) {
      const n = ctx.jobs.requeueUnknown();
      if (n > 0)
        options.log.warn(
          `--resubmit-unknown: ${n} row(s) whose earlier submission is unknown will be submitted again (they may be paid twice)`,
        );
    }
    for (const task of ctx.tasks.listByState("running")) {
      ctx.slots.take();
      ctx.watch(task.id, true);
    }
    const inherited = ctx.tasks.listByState("generated");
    backlogMax += inherited.length;
    for (const task of inherited) ctx.collect(task.id);
    await submitPending(ctx, track);
  } catch (error) {
    fail(error);
  }
  try {
    // Work spawns work (a finished poll starts a download): wait until nothing is left.
    while (running.size > 0) await Promise.all([...running]);
  } finally {
    clearInterval(progressTimer);
    flush();
    signal.removeEventListener("abort", onStop);
    callbacks?.attach(undefined);
  }
  if (firstError) throw firstError.error;
  ctx.outcome.interrupted = options.stopSignal.aborted;
  return ctx.outcome;
}

/**
 * Submits a row again after the provider's own failure charged nothing (a new task, a new attempt
 * number and external id), through the same gates as any submission: a free slot, the budget, the
 * rate limit. A stop or halt leaves the row pending for the next run.
 */
async function resubmit(ctx: BatchContext, rowKey: string): Promise<void> {
  try {
    await ctx.slots.acquire(ctx.submitGate.signal);
  } catch (error) {
    if (!ctx.submitGate.signal.aborted) throw error;
    return;
  }
  const job = ctx.jobs.get(rowKey);
  if (job?.status !== "pending") {
    ctx.slots.release();
    return;
  }
  const submitted = await submitJob(ctx, job);
  if (submitted.result === "running" && !ctx.signal.aborted) ctx.watch(submitted.taskRowId);
  else ctx.slots.release();
}

async function submitPending(ctx: BatchContext, track: (work: Promise<unknown>) => void): Promise<void> {
  let afterIndex = 0;
  const select = ctx.options.select;
  let taken = 0;
  const chosen = (line: number | null) =>
    !select?.lines || (line !== null && select.lines.some(([from, to]) => line >= from && line <= to));
  for (;;) {
    const page = ctx.jobs.nextPending(afterIndex, PAGE);
    if (page.length === 0) return;
    for (const job of page) {
      afterIndex = job.row_index ?? afterIndex;
      if (!chosen(job.line)) continue;
      if (select?.limit !== undefined && taken >= select.limit) return;
      taken++;
      try {
        await ctx.downloadRoom(ctx.submitGate.signal);
        await ctx.slots.acquire(ctx.submitGate.signal);
      } catch (error) {
        if (!ctx.submitGate.signal.aborted) throw error;
        return; // stopped or halted while waiting for a free slot
      }
      track(
        submitJob(ctx, job).then((submitted) => {
          if (submitted.result === "running" && !ctx.signal.aborted) ctx.watch(submitted.taskRowId);
          else ctx.slots.release();
          // A lost create answer: its callback can still say which task it made.
          if (submitted.result === "unknown" && ctx.inbox && !ctx.signal.aborted)
            return ctx.inbox.awaitCallback(submitted.taskRowId);
        }),
      );
    }
  }
}
