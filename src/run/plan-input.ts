import type Database from "better-sqlite3";
import { readMeta } from "../ledger/batch-meta.js";
import { countByStatus, readRemainingEstimate, readStoredPlan } from "../ledger/summary.js";
import { fingerprintInput } from "../plan/input-fingerprint.js";
import { type Plan, planRows } from "../plan/plan-rows.js";
import type { Provider } from "../providers/provider.js";
import type { Logger } from "../util/logger.js";
import type { FramePlace } from "./open-run.js";
import type { PlanSummary } from "./run-report.js";
import type { RunSettings } from "./settings.js";

/**
 * Reads the input against the ledger with the settings' defaults for empty cells. A run whose
 * input and settings are what the last sync saw (same fingerprint) reads nothing again: the plan is
 * the ledger's (100,000 rows: a fraction of a second instead of seconds before the first submission).
 */
export async function planInput(
  options: RunSettings,
  provider: Provider,
  db: Database.Database | null,
  log: Logger,
  dryRun: boolean,
  /** Where relative frame paths start (the input's folder, or the current one for a URL), and whether image URLs on this machine reach the provider. */
  frames: FramePlace,
  redact?: (text: string) => string,
): Promise<Plan> {
  const defaults = {
    duration: options.duration,
    aspectRatio: options.aspectRatio,
    sound: options.sound,
    model: options.model,
    ...(options.mode ? { mode: options.mode } : {}),
  };
  const fingerprint =
    db && !dryRun
      ? await fingerprintInput(options.input, {
          provider: provider.name,
          workflow: options.workflow ?? null,
          // A workflow edited on Wireflow's side binds its inputs differently.
          inputs: provider.inputs?.list ?? null,
          sheet: options.sheet ?? null,
          // Relative frame paths mean other files once the folder has moved: read the rows again.
          frameDir: frames.dir,
          map: options.map,
          defaults,
        })
      : undefined;
  if (db && fingerprint && readMeta(db, "input_fingerprint") === fingerprint) {
    const stored = readStoredPlan(db);
    log.info(
      `The input is unchanged since the last run: its ${stored.rows} rows were not read again${stored.invalid ? ` (${stored.invalid} invalid: see the results' error column)` : ""}.`,
    );
    return {
      ...stored,
      byStatus: countByStatus(db),
      toSubmitUsd: readRemainingEstimate(db),
      priceLines: [],
    };
  }
  return planRows({
    csvPath: options.input,
    frameDir: frames.dir,
    localImageHostsOk: frames.localHostsOk,
    ...(fingerprint ? { fingerprint } : {}),
    ...(options.sheet ? { sheet: options.sheet } : {}),
    db,
    provider,
    defaults,
    map: options.map,
    log,
    dryRun,
    ...(redact ? { redact } : {}),
  });
}

/** The plan as the run reports it: counts, the estimate, the price lines and the provider's own line. */
export function summarizePlan(plan: Plan, provider: Provider): PlanSummary {
  const providerLine = provider.describe
    ? [
        provider.describe(),
        ...(plan.inputMapping.length > 0 ? [`inputs ${plan.inputMapping.join(", ")}`] : []),
      ].join("; ")
    : undefined;
  return {
    provider: provider.name,
    rows: plan.rows,
    invalid: plan.invalid,
    textToVideo: plan.textToVideo,
    imageToVideo: plan.imageToVideo,
    byStatus: { ...plan.byStatus } as Record<string, number>,
    toSubmitUsd: plan.toSubmitUsd,
    unknownPriceRows: plan.unknownPriceRows,
    priceLines: plan.priceLines,
    ...(providerLine ? { providerLine } : {}),
    ...(provider.limitsNote ? { limitsNote: provider.limitsNote } : {}),
  };
}
