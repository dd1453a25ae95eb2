import { existsSync } from "node:fs";
import { readRedoEstimate } from "../ledger/mark-store.js";
import { openLedger } from "../ledger/open-ledger.js";
import { readSpend } from "../ledger/summary.js";
import { roundUsd4 } from "../util/format-usd.js";
import { withOpenRun } from "./open-run.js";
import { planInput, summarizePlan } from "./plan-input.js";
import type { RunIo } from "./run-io.js";
import type { PlanSummary } from "./run-report.js";
import { type RunSettingsInput, withDefaults } from "./settings.js";

/** What a batch would cost, submitting nothing (the CLI's --dry-run). */
export interface PriceReport {
  provider: string;
  plan: PlanSummary;
  /** Pending rows: what a run would submit. */
  toSubmit: number;
  /** In the provider's own unit, what a credits budget counts (null when a line has no figure). */
  estimatedCredits: number | null;
  /** Already spent on this ledger (0 without one). */
  spentUsd: number;
  /** Rows marked Redo in review with a result to replace, and what a new attempt of each would cost. */
  redo: { rows: number; usd: number };
  /** Whether a ledger exists beside the input (the plan then counts what it already holds). */
  ledgerFound: boolean;
  /** No key was set: prices are local, nothing was asked of the provider. */
  keyless: boolean;
  /** The provider's balance, when it was asked; `covers` when it is in dollars. */
  balance?: { text: string; covers?: boolean };
  /** Why the balance could not be read. */
  balanceError?: string;
}

/**
 * Validates and prices every row against the ledger (read-only, if there is one) and, with a key,
 * reads the provider's balance. Nothing is submitted and nothing is written.
 */
export async function priceBatch(given: RunSettingsInput, io: RunIo = {}): Promise<PriceReport> {
  return withOpenRun(
    withDefaults(given),
    io,
    true,
    async ({ settings, paths, provider, log, keyless, frames }) => {
      const db = existsSync(paths.ledger) ? openLedger(paths.ledger, { readonly: true }) : null;
      try {
        const plan = summarizePlan(await planInput(settings, provider, db, log, true, frames), provider);
        const report: PriceReport = {
          provider: provider.name,
          plan,
          toSubmit: plan.byStatus.pending ?? 0,
          estimatedCredits: plan.priceLines.every((l) => l.unitCredits !== undefined)
            ? plan.priceLines.reduce((sum, l) => sum + (l.unitCredits ?? 0) * l.count, 0)
            : null,
          spentUsd: db ? roundUsd4(readSpend(db).totalUsd) : 0,
          redo: db ? readRedoEstimate(db) : { rows: 0, usd: 0 },
          ledgerFound: db !== null,
          keyless,
        };
        if (!keyless && provider.getBalance) {
          try {
            const b = await provider.getBalance(io.signal);
            report.balance = {
              text: b.text,
              ...(b.usd !== undefined ? { covers: b.usd >= plan.toSubmitUsd } : {}),
            };
          } catch (error) {
            report.balanceError = (error as Error).message;
          }
        }
        return report;
      } finally {
        db?.close();
      }
    },
  );
}
