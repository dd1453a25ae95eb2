import type Database from "better-sqlite3";
import type { WaitReason } from "../batch/batch-context.js";
import type { JobStore } from "../ledger/job-store.js";
import type { Logger } from "../util/logger.js";
import { createProgressSampler } from "./progress-sampler.js";
import type { RunEvent } from "./run-io.js";

const DEFAULT_PROGRESS_EVERY_MS = 1000;

/**
 * The run's events while the engine works: a `row` event each time a row's status changes (the
 * stores report their writes; the row is read once to say what it is now), and a `progress` event
 * at a steady pace with the ledger's figures and why submissions wait, if they do.
 */
export function createLiveEvents(
  db: Database.Database,
  jobs: JobStore,
  listener: ((event: RunEvent) => unknown) | undefined,
  log: Logger,
  everyMs = DEFAULT_PROGRESS_EVERY_MS,
) {
  // A listener that throws is the caller's bug, not the run's: said once, and the run goes on
  // (the event comes after the ledger write; nothing is lost or paid twice).
  // An async listener's rejection is caught the same way: it must never end the process.
  let warned = false;
  const warn = (error: unknown) => {
    if (!warned)
      log.warn(
        `the run's event listener threw (${error instanceof Error ? error.message : String(error)}); the run goes on`,
      );
    warned = true;
  };
  const onEvent = listener
    ? (event: RunEvent) => {
        try {
          const result: unknown = listener(event);
          const then = (result as { then?: unknown } | null | undefined)?.then;
          if (typeof then === "function") then.call(result, undefined, warn);
        } catch (error) {
          warn(error);
        }
      }
    : undefined;
  const shown = new Map<string, string>();
  const sample = createProgressSampler(db, Math.min(everyMs, 400));
  let timer: NodeJS.Timeout | undefined;
  return {
    /** Tells the listener, as every event is told. */
    emit(event: RunEvent): void {
      onEvent?.(event);
    },
    /** A write changed this row (or, with no key, many rows). */
    rowChanged(rowKey: string | undefined): void {
      if (!onEvent || rowKey === undefined) return;
      const job = jobs.get(rowKey);
      if (!job || shown.get(rowKey) === job.status) return;
      shown.set(rowKey, job.status);
      onEvent({
        type: "row",
        key: job.row_key,
        line: job.line,
        status: job.status,
        error: job.error,
        videoPath: job.video_path,
      });
    },
    /** Starts the progress events; `waiting` says why submissions wait right now. */
    start(waiting: () => WaitReason | undefined): void {
      if (!onEvent) return;
      timer = setInterval(() => {
        const why = waiting();
        onEvent({ type: "progress", ...sample(), ...(why ? { waiting: why } : {}) });
      }, everyMs);
      timer.unref();
    },
    stop(): void {
      if (timer) clearInterval(timer);
      timer = undefined;
    },
  };
}
