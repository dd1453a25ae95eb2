import type { StopReasonCode } from "../batch/batch-context.js";
import type { RunStore } from "../ledger/run-store.js";
import { UserError } from "../util/errors.js";
import { EXIT, exitCodeFor } from "./exit-codes.js";
import type { RunEnding } from "./run-report.js";

/** How a run ends: a stop by the caller wins; then anything left for a later run; then any row that failed. */
export function endingOf(
  interrupted: boolean,
  stopReason: StopReasonCode | undefined,
  unresolved: number,
  counts: Record<string, number>,
): RunEnding {
  if (interrupted) return "interrupted";
  const unfinished = (counts.pending ?? 0) + (counts.running ?? 0) + (counts.submitting ?? 0);
  if (stopReason || unresolved > 0 || unfinished > 0) return "resumable";
  if ((counts.failed ?? 0) + (counts.invalid ?? 0) + (counts.unknown ?? 0) > 0) return "rows-failed";
  return "finished";
}

/**
 * The exit code of an ending, as the README's table gives it. An interrupted run exits with the
 * code its stop asked for (the CLI aborts with a StopRequest naming SIGINT's 130 or SIGTERM's 143).
 */
export function exitCodeOf(ending: RunEnding, stopReason?: unknown): number {
  if (ending === "interrupted") return stopReason instanceof StopRequest ? stopReason.exitCode : EXIT.sigint;
  if (ending === "resumable") return EXIT.resumable;
  if (ending === "rows-failed") return EXIT.rowsFailed;
  return EXIT.ok;
}

/** The reason a caller aborts a run's signal with, to say which exit code the stop means. */
export class StopRequest extends Error {
  constructor(
    message = "stopped by the caller",
    readonly exitCode: number = EXIT.sigint,
  ) {
    super(message);
    this.name = "StopRequest";
  }
}

/**
 * Records how a run that ended in an error ended: the exit code the CLI gives it (3 for a run that
 * lost its ledger to another, 70 for a bug). A ledger that cannot be written (a full disk) is let
 * be: the first error is the one to report.
 */
export function recordRunFailure(runs: RunStore, runId: number, error: unknown): void {
  try {
    runs.finish(runId, {
      submitted: 0,
      exitCode: error instanceof UserError ? exitCodeFor(error.code) : EXIT.internal,
      stopReason: error instanceof Error ? error.message : String(error),
    });
  } catch {
    // The ledger cannot be written: the error that ended the run is reported, not this one.
  }
}
