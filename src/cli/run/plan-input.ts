import type Database from "better-sqlite3";
import { type Plan, planRows } from "../../plan/plan-rows.js";
import type { Provider } from "../../providers/provider.js";
import type { Logger } from "../../util/logger.js";
import type { RunOptions } from "../run-options.js";

/** Reads the input against the ledger with the command line's defaults for empty cells. */
export function planInput(
  options: RunOptions,
  provider: Provider,
  db: Database.Database | null,
  log: Logger,
  dryRun: boolean,
): Promise<Plan> {
  const defaults = {
    duration: options.duration,
    aspectRatio: options.aspectRatio,
    sound: options.sound,
    model: options.model,
    ...(options.mode ? { mode: options.mode } : {}),
  };
  return planRows({
    csvPath: options.input,
    ...(options.sheet ? { sheet: options.sheet } : {}),
    db,
    provider,
    defaults,
    map: options.map,
    log,
    dryRun,
  });
}
