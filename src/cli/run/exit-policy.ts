import type { StopReasonCode } from "../../batch/batch-context.js";
import { EXIT } from "../exit-codes.js";

/** How a run ends: a signal wins; then anything left for a later run; then any row that failed. */
export function decideExitCode(
  signalExit: number | undefined,
  stopReason: StopReasonCode | undefined,
  unresolved: number,
  counts: Record<string, number>,
): number {
  if (signalExit !== undefined) return signalExit;
  const unfinished = (counts.pending ?? 0) + (counts.running ?? 0) + (counts.submitting ?? 0);
  if (stopReason || unresolved > 0 || unfinished > 0) return EXIT.resumable;
  if ((counts.failed ?? 0) + (counts.invalid ?? 0) + (counts.unknown ?? 0) > 0) return EXIT.rowsFailed;
  return EXIT.ok;
}
