import { setMaxListeners } from "node:events";
import { removeStalePartFiles } from "../download/download-video.js";
import { setting } from "../util/setting-name.js";
import { sleep } from "../util/sleep.js";
import { limitersFor } from "./account-limiters.js";
import type { BatchContext, BatchOutcome, RunBatchOptions, WaitReason } from "./batch-context.js";
import { createCallbackInbox } from "./callback-inbox.js";
import { collectVideo } from "./collect-video.js";
import { createFrameDelivery } from "./deliver-frames.js";
import { DownloadQueue } from "./download-queue.js";
import { isSelectedLine } from "./engine-settings.js";
import { createFailureGuard } from "./failure-guard.js";
import { GenerationTimes } from "./generation-times.js";
import { describeKind, PollPlanner } from "./poll-planner.js";
import { resumeInterruptedSubmissions } from "./resume-tasks.js";
import { Slots } from "./slots.js";
import { submitJob } from "./submit-job.js";
import { TaskFinishes } from "./task-finishes.js";
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
export function runBatch(options: RunBatchOptions): Promise<BatchOutcome> {
  return startBatch(options).done;
}

/** A batch under way: its end, and why submissions wait right now (for a live line). */
export interface BatchRun {
  done: Promise<BatchOutcome>;
  waiting(): WaitReason | undefined;
}

/** Starts a batch (see runBatch); `waiting()` can be asked at any time while it runs. */
export function startBatch(options: RunBatchOptions): BatchRun {
  const settings = options.settings;
  const limiters = limitersFor(options.account, options.provider.limits);
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

  // How long each kind of job takes: earlier runs' finishes first, so the schedule starts knowing.
  const generationTimes = new GenerationTimes();
  for (const [kind, ms] of options.stores.generationTimes.load()) generationTimes.seed(kind, ms);
  for (const { kind, distribution } of generationTimes.kinds())
    if (distribution) options.log.row(`from earlier runs, ${describeKind(kind, distribution)}`);
  const ctx: BatchContext = {
    options,
    settings,
    signal,
    jobs: options.stores.jobs,
    tasks: options.stores.tasks,
    provider: options.provider,
    log: options.log,
    slots: new Slots(settings.concurrency),
    creates: limiters.creates,
    statuses: limiters.statuses,
    submitGate,
    generationTimes,
    planner: new PollPlanner(generationTimes, {
      // The status limiter's allowance now: lowered while the provider refuses (another run on the key).
      callsPerSecond: () => limiters.statuses.ratePerSecond(),
      floorMs: settings.pollIntervalMs,
      maxGapMs: settings.timings.maxPollGapMs,
    }),
    wakeups: new TaskWakeups(),
    finishes: new TaskFinishes(),
    failures: createFailureGuard(settings.haltOnFailures),
    frames: createFrameDelivery({
      provider: options.provider,
      uploads: options.stores.uploads(options.account ?? options.provider.name),
      timings: settings.timings,
      onFileChanged: () => options.stores.forgetInputFingerprint(),
    }),
    outcome: { submitted: 0, interrupted: false, unresolved: 0, unpriced: 0, tooLarge: 0 },
    halt(code, message) {
      if (!this.outcome.stopReason && !signal.aborted) {
        this.outcome.stopReason = { code, message };
        options.log.warn(`${message}. No new submissions; tasks in flight are still followed.`);
      }
      submitGate.abort();
    },
    learned(kind, ms) {
      options.stores.generationTimes.record(kind, ms);
      const known = generationTimes.distribution(kind);
      if (known?.samples === 4) options.log.row(describeKind(kind, known));
    },
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
          if (result !== "stopped") ctx.finishes.finished();
          if (result === "generated") ctx.collect(taskRowId);
          if (result === "generated" || result === "failed") {
            const task = ctx.tasks.get(taskRowId);
            noteFinish(ctx, result === "generated" ? "succeeded" : "failed", task.error ?? undefined);
          }
          if (result === "retry") track(resubmit(ctx, ctx.tasks.get(taskRowId).row_key));
        }),
      );
    },
  };
  // When more finished videos than this wait for a download slot, the network is the bottleneck:
  // submissions wait for it rather than pile up videos whose links may expire (measured at zero
  // latency, the run is also faster end to end this way). Videos an earlier run left come on top,
  // so a resumed run submits at once.
  let backlogMax = Math.max(100, settings.downloadConcurrency * 25);
  const downloads = new DownloadQueue(
    settings.downloadConcurrency,
    (taskRowId) =>
      signal.aborted ? Promise.resolve("stopped") : collectVideo(ctx, ctx.tasks.get(taskRowId)),
    track,
  );
  const callbacks = options.callbacks;
  if (callbacks) {
    ctx.inbox = createCallbackInbox(ctx, (id) => callbacks.urlFor(id));
    callbacks.attach(ctx.inbox.handle);
  }
  const waiting = (): WaitReason | undefined => {
    if (downloads.waiting >= backlogMax) return { kind: "downloads", queued: downloads.waiting };
    const blocked = ctx.creates.blocked();
    if (blocked)
      return {
        kind: "rate-limit",
        provider: options.provider.name,
        until: blocked.until,
        paused: blocked.paused,
        limit: options.provider.limits.submitRate,
      };
    const lost = ctx.inbox?.waiting() ?? 0;
    return lost > 0 ? { kind: "lost-callbacks", submissions: lost } : undefined;
  };
  return { done: finish(), waiting };

  async function finish(): Promise<BatchOutcome> {
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
      await removeStalePartFiles(settings.videosDir);
      const undecided = await resumeInterruptedSubmissions(ctx);
      if (settings.resubmitUnknown) {
        // A row the provider could settle by its external id, but whose lookup failed this time, is
        // not resubmitted: the lookup may yet find its (paid) task.
        if (undecided.length > 0)
          options.log.warn(
            `${setting("resubmitUnknown")}: ${undecided.length} row(s) stay unknown: ${options.provider.name} did not answer the lookup of their earlier submission; run again to look them up first`,
          );
        const n = ctx.jobs.requeueUnknown(undecided);
        if (n > 0)
          options.log.warn(
            `${setting("resubmitUnknown")}: ${n} row(s) whose earlier submission is unknown will be submitted again (they may be paid twice)`,
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

/** Counts a row's end toward --halt-on-failures, and halts submissions once too many failed. */
function noteFinish(ctx: BatchContext, outcome: "succeeded" | "failed", reason?: string): void {
  const stop = ctx.failures.record(outcome, reason);
  if (stop) ctx.halt("failures", stop);
}

async function submitPending(ctx: BatchContext, track: (work: Promise<unknown>) => void): Promise<void> {
  let afterIndex = 0;
  const select = ctx.settings.select;
  let taken = 0;
  for (;;) {
    const page = ctx.jobs.nextPending(afterIndex, PAGE);
    if (page.length === 0) return;
    for (const job of page) {
      afterIndex = job.row_index ?? afterIndex;
      if (!isSelectedLine(select, job.line)) continue;
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
          // A create the provider refused (content policy, a bad image) is a failed row too.
          if (submitted.result === "failed")
            noteFinish(ctx, "failed", ctx.jobs.get(job.row_key)?.error ?? undefined);
          // A lost create answer: its callback can still say which task it made.
          if (submitted.result === "unknown" && ctx.inbox && !ctx.signal.aborted)
            return ctx.inbox.awaitCallback(submitted.taskRowId);
        }),
      );
    }
  }
}
