import type Database from "better-sqlite3";
import { isContentRefusal } from "../job/content-refusal.js";
import { createMarkStore } from "../ledger/mark-store.js";
import type { Logger } from "../util/logger.js";
import { setting } from "../util/setting-name.js";

/**
 * Rows a reviewer marked Redo. With `redo`, those that have a result (succeeded or failed) go back
 * to pending: the run submits a new, paid attempt for each, and the earlier attempt and its video
 * stay in the ledger. Rows marked Redo that are still running, or were never submitted, are named.
 */
export function redoMarked(
  db: Database.Database,
  redo: boolean,
  log: Logger,
  /** Told which rows went back to pending (their marks are cleared as their new attempts go out). */
  onRequeued: (keys: readonly string[]) => void,
): { rows: number; usd: number; submitted: boolean } {
  const marks = createMarkStore(db);
  marks.settleEarlierRedo(); // an earlier --redo whose new attempt went out before its mark was cleared
  const waiting = marks.redoWaiting();
  if (redo && waiting.length > 0) {
    const shown = waiting.slice(0, 5).map((r) => `line ${r.line} (${r.status})`);
    log.warn(
      `${setting("redo")}: ${waiting.length} row(s) marked Redo have no result to replace yet, so they are not submitted again: ${shown.join(", ")}${waiting.length > 5 ? ` and ${waiting.length - 5} more` : ""}`,
    );
  }
  marks.restoreUnsubmitted(); // left pending by an earlier --redo that did not submit them
  if (!redo) return { ...marks.redoable(), submitted: false };
  // A prompt the content filter refused would be refused again: the sheet needs an edit instead.
  const { rows, usd, keys, skipped } = marks.requeueRedo(
    (r) => r.status === "failed" && isContentRefusal(r.error),
  );
  if (skipped.length > 0)
    log.warn(
      `${setting("redo")}: the provider's content filter refused line ${skipped.join(", ")}; the same prompt would be refused again, so it is not submitted: edit the prompt in the sheet (the next run submits an edited row)`,
    );
  onRequeued(keys);
  return { rows, usd, submitted: true };
}
