import type { Charge } from "../ledger/task-store.js";
import type { TaskRow } from "../ledger/types.js";
import { formatUsd } from "../util/format-usd.js";

/**
 * A reported charge this many times the task's documented price is not believed. The estimate is
 * computed for the task's exact model, mode, duration and sound, so a real charge sits at or near
 * it; three times leaves room for a price rise the table has not caught up with.
 */
export const ABSURD_CHARGE_FACTOR = 3;

export interface CheckedCharge {
  /** What the ledger records: the reported charge, or the estimate in place of one not believed. */
  charge: Charge;
  /** Why the reported charge was not believed (kept with the task, shown with its row). */
  warning?: string;
}

function problemWith(
  value: number | undefined,
  estimate: number | null | undefined,
  succeeded: boolean,
): string | undefined {
  if (value === undefined) return undefined;
  if (!Number.isFinite(value)) return "not a number";
  if (value < 0) return "below zero";
  if (estimate && estimate > 0 && value > estimate * ABSURD_CHARGE_FACTOR)
    return `more than ${ABSURD_CHARGE_FACTOR}× the documented price`;
  // A video that was made costs its price: a charge of nothing (or next to it) would let every
  // budget pass. A failed generation may well be free ("0 for failed tasks").
  if (succeeded && estimate && estimate > 0 && value < estimate / ABSURD_CHARGE_FACTOR)
    return value === 0 ? "nothing, for a video that was made" : `under a third of the documented price`;
  return undefined;
}

/**
 * Checks a charge a provider reported for a task against what the task can cost. A provider answer
 * is data from outside: a negative charge would lower the spend --max-cost sees (and let more rows
 * through), and so would a made video charged nothing; an absurd one would stop a run for nothing. Neither is recorded as given: the task keeps
 * its estimate, which never lowers the spend, and the row is flagged.
 */
export function checkCharge(reported: Charge, task: TaskRow, succeeded: boolean): CheckedCharge {
  const problem =
    problemWith(reported.chargedUsd, task.estimated_cost_usd, succeeded) ??
    problemWith(reported.chargedCredits, task.estimated_credits, succeeded);
  if (!problem) return { charge: reported };
  const given = [
    reported.chargedUsd !== undefined && Number.isFinite(reported.chargedUsd)
      ? formatUsd(reported.chargedUsd)
      : undefined,
    reported.chargedCredits !== undefined ? `${reported.chargedCredits} credits` : undefined,
  ]
    .filter(Boolean)
    .join(", ");
  return {
    charge: {
      chargedUsd: task.estimated_cost_usd,
      ...(task.estimated_credits !== null ? { chargedCredits: task.estimated_credits } : {}),
    },
    warning: `the provider reported a charge of ${given || "an unreadable amount"} (${problem}); not believed: the estimate ${formatUsd(task.estimated_cost_usd)} is counted instead — check the provider's billing for this task`,
  };
}
