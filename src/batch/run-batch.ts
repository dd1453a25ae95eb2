import { setMaxListeners } from "node:events";
import pLimit from "p-limit";
import { removeStalePartFiles } from "../download/download-video.js";
import { createJobStore } from "../ledger/job-store.js";
import { createTaskStore } from "../ledger/task-store.js";
import type { BatchContext, BatchOutcome, RunBatchOptions } from "./batch-context.js";
import { collectVideo } from "./collect-video.js";
import { RateLimiter } from "./rate-limiter.js";
import { resumeInterruptedSubmissions } from "./resume-tasks.js";
import { Slots } from "./slots.js";
import { submitJob } from "./submit-job.js";
import { watchTask } from "./watch-task.js";

const PAGE = 200;

/**
 * Runs a batch from the ledger: settles interrupted submissions, follows tasks already in flight,
 * downloads finished videos, then submits pending rows while keeping every allowed slot busy.
 * Submissions, polls and downloads run side by side, so a slow download never holds up a submit.
 */
export async function runBatch(options: RunBatchOptions): Promise<BatchOutcome> {
  const running = new Set<Promise<unknown>>();
  const track = (work: Promise<unknown>) => {
    running.add(work);
    void work.finally(() => running.delete(work)).catch(() => undefined);
  };
  const downloads = pLimit(options.downloadConcurrency);
  const submitGate = new AbortController();
  // Every sleeping poll, waiting submit and download listens on these: one listener per task in flight.
  setMaxListeners(0, options.stopSignal, submitGate.signal);
  const onStop = () => submitGate.abort(options.stopSignal.reason);
  options.stopSignal.addEventListener("abort", onStop, { once: true });
  if (options.stopSignal.aborted) onStop();

  const ctx: BatchContext = {
    options,
    jobs: createJobStore(options.db),
    tasks: createTaskStore(options.db),
    provider: options.provider,
    log: options.log,
    slots: new Slots(options.concurrency),
    creates: new RateLimiter(options.provider.limits.creates.max, options.provider.limits.creates.windowMs),
    statuses: new RateLimiter(options.provider.limits.statusPerSecond, 1000),
    submitGate,
    outcome: { submitted: 0, interrupted: false, unresolved: 0 },
    halt(code, message) {
      if (!this.outcome.stopReason && !options.stopSignal.aborted) {
        this.outcome.stopReason = { code, message };
        options.log.warn(`${message}. No new submissions; tasks in flight are still followed.`);
      }
      submitGate.abort();
    },
    changed: () => options.onChange?.(),
    collect(taskRowId) {
      track(
        downloads(() =>
          options.stopSignal.aborted
            ? Promise.resolve("stopped")
            : collectVideo(ctx, ctx.tasks.get(taskRowId)),
        ),
      );
    },
    watch(taskRowId, resumed = false) {
      track(
        watchTask(ctx, ctx.tasks.get(taskRowId), resumed).then((result) => {
          ctx.slots.release();
          if (result === "generated") ctx.collect(taskRowId);
        }),
      );
    },
  };

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
    for (const task of ctx.tasks.listByState("generated")) ctx.collect(task.id);
    await submitPending(ctx, track);
    // Work spawns work (a finished poll starts a download): wait until nothing is left.
    while (running.size > 0) await Promise.all([...running]);
  } finally {
    options.stopSignal.removeEventListener("abort", onStop);
  }
  ctx.outcome.interrupted = options.stopSignal.aborted;
  return ctx.outcome;
}

async function submitPending(ctx: BatchContext, track: (work: Promise<unknown>) => void): Promise<void> {
  let afterIndex = 0;
  for (;;) {
    const page = ctx.jobs.nextPending(afterIndex, PAGE);
    if (page.length === 0) return;
    for (const job of page) {
      afterIndex = job.row_index ?? afterIndex;
      try {
        await ctx.slots.acquire(ctx.submitGate.signal);
      } catch {
        return; // stopped or halted while waiting for a free slot
      }
      track(
        submitJob(ctx, job).then((submitted) => {
          if (submitted.result === "running" && !ctx.options.stopSignal.aborted)
            ctx.watch(submitted.taskRowId);
          else ctx.slots.release();
        }),
      );
    }
  }
}
