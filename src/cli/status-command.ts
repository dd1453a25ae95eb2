import { readMeta } from "../ledger/batch-meta.js";
import { openLedger } from "../ledger/open-ledger.js";
import { countByStatus, readRemainingEstimate, readSpend } from "../ledger/summary.js";
import { UserError } from "../util/errors.js";
import { formatCounts, formatUsd } from "./format.js";
import { defaultPaths } from "./paths.js";

export interface LedgerTarget {
  input?: string;
  ledger?: string;
}

export function resolveLedgerPath(target: LedgerTarget): string {
  if (target.ledger) return defaultPaths(target.ledger, { ledger: target.ledger }).ledger;
  if (target.input) return defaultPaths(target.input, {}).ledger;
  throw new UserError(
    "Name the input CSV (vidbatch status prompts.csv) or the ledger (--ledger FILE).",
    2,
    "USAGE",
  );
}

/** Counts by status, spend so far and the estimate for what remains; safe while a run writes. */
export function statusCommand(target: LedgerTarget & { json: boolean }): number {
  const path = resolveLedgerPath(target);
  const db = openLedger(path, { readonly: true });
  try {
    const counts = countByStatus(db);
    const spend = readSpend(db);
    const remaining = readRemainingEstimate(db);
    const lock = db.prepare("SELECT pid, host, started_at, heartbeat_at FROM run_lock WHERE id = 1").get() as
      | { pid: number; host: string; started_at: string; heartbeat_at: string }
      | undefined;
    const running = lock !== undefined && Date.now() - Date.parse(lock.heartbeat_at) < 60_000;
    const tasks = db.prepare("SELECT state, COUNT(*) AS n FROM tasks GROUP BY state").all() as {
      state: string;
      n: number;
    }[];
    const rows = Object.values(counts).reduce((a, b) => a + b, 0);
    const summary = {
      ledger: path,
      provider: readMeta(db, "provider") ?? null,
      rows,
      byStatus: counts,
      tasksByState: Object.fromEntries(tasks.map((t) => [t.state, t.n])),
      spentUsd: Math.round(spend.totalUsd * 10_000) / 10_000,
      unconfirmedUsd: Math.round(spend.estimatedUsd * 10_000) / 10_000,
      chargedCredits: spend.chargedCredits,
      remainingEstimateUsd: Math.round(remaining * 10_000) / 10_000,
      runInProgress: running ? { pid: lock.pid, host: lock.host, startedAt: lock.started_at } : null,
    };
    if (target.json) {
      process.stdout.write(`${JSON.stringify(summary)}\n`);
      return 0;
    }
    const out = [
      `Ledger: ${path}${summary.provider ? ` (${summary.provider})` : ""}`,
      `Rows: ${rows} — ${formatCounts(counts)}`,
      `Spent: ${formatUsd(spend.totalUsd)}${spend.estimatedUsd > 0 ? ` (${formatUsd(spend.estimatedUsd)} of it estimated until the provider reports it)` : ""}${spend.chargedCredits > 0 ? ` · ${spend.chargedCredits} credits charged` : ""}`,
      `Still to submit: ${counts.pending ?? 0} row(s), estimated ${formatUsd(remaining)}`,
      running
        ? `A run is in progress (pid ${lock.pid} on ${lock.host}, since ${lock.started_at}).`
        : "No run in progress.",
    ];
    process.stdout.write(`${out.join("\n")}\n`);
    return 0;
  } finally {
    db.close();
  }
}
