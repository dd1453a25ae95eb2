import { existsSync } from "node:fs";
import { openLedger } from "../../ledger/open-ledger.js";
import { readSpend } from "../../ledger/summary.js";
import type { Provider } from "../../providers/provider.js";
import type { Logger } from "../../util/logger.js";
import { formatCounts, formatUsd, roundUsd4 } from "../format.js";
import type { RunOptions } from "../run-options.js";
import { planInput } from "./plan-input.js";
import { formatPriceLines } from "./price-table.js";
import { unknownPrice } from "./run-summary.js";

/** --dry-run: plans every row against the ledger (read-only, if there is one) and prints the estimate. */
export async function dryRun(
  options: RunOptions,
  provider: Provider,
  ledgerPath: string,
  log: Logger,
  { keyless = false }: { keyless?: boolean } = {},
): Promise<number> {
  const db = existsSync(ledgerPath) ? openLedger(ledgerPath, { readonly: true }) : null;
  try {
    const plan = await planInput(options, provider, db, log, true);
    const summary = {
      dryRun: true,
      rows: plan.rows,
      invalid: plan.invalid,
      textToVideo: plan.textToVideo,
      imageToVideo: plan.imageToVideo,
      byStatus: plan.byStatus,
      toSubmit: plan.byStatus.pending ?? 0,
      estimatedCostUsd: roundUsd4(plan.toSubmitUsd),
      // In the provider's own unit: what --max-credits counts (null when a line has no figure).
      estimatedCredits: plan.priceLines.every((l) => l.unitCredits !== undefined)
        ? plan.priceLines.reduce((sum, l) => sum + (l.unitCredits ?? 0) * l.count, 0)
        : null,
      unknownPriceRows: plan.unknownPriceRows,
      prices: plan.priceLines.map((l) => ({
        model: l.model,
        mode: l.mode || null,
        duration: l.duration,
        sound: l.sound,
        rows: l.count,
        unitUsd: l.unitUsd ?? null,
        subtotalUsd: l.unitUsd === undefined ? null : roundUsd4(l.unitUsd * l.count),
        unitCredits: l.unitCredits ?? null,
        subtotalCredits: l.unitCredits === undefined ? null : l.unitCredits * l.count,
        source: l.source,
      })),
      spentUsd: db ? roundUsd4(readSpend(db).totalUsd) : 0,
    };
    if (provider.describe) log.info(describeWithInputs(provider, plan.inputMapping));
    log.info(
      `Dry run on ${provider.name}: ${plan.rows} rows (${plan.textToVideo} text-to-video, ${plan.imageToVideo} image-to-video, ${plan.invalid} invalid). ` +
        `${summary.toSubmit} to submit, estimated ${formatUsd(plan.toSubmitUsd)}${unknownPrice(plan.unknownPriceRows)}${db ? `; already in the ledger: ${formatCounts(plan.byStatus)}` : ""}. Nothing was submitted.`,
    );
    for (const line of formatPriceLines(plan.priceLines)) log.info(line);
    if (options.maxCost !== undefined && plan.unknownPriceRows > 0 && !options.allowUnknownPrice)
      log.warn(
        `--max-cost: the ${plan.unknownPriceRows} row(s) of unknown price would not be submitted; add --allow-unknown-price to run them`,
      );
    if (
      options.maxCredits !== undefined &&
      summary.estimatedCredits !== null &&
      summary.estimatedCredits > options.maxCredits
    )
      log.warn(
        `--max-credits ${options.maxCredits.toLocaleString("en-US")} would stop the run before every row is submitted (the rows to submit need about ${summary.estimatedCredits.toLocaleString("en-US")})`,
      );
    if (options.maxCost !== undefined && summary.spentUsd + plan.toSubmitUsd > options.maxCost) {
      log.warn(`--max-cost ${formatUsd(options.maxCost)} would stop the run before every row is submitted`);
    }
    let balance: { text: string; covers?: boolean } | undefined;
    if (!keyless && provider.getBalance) {
      try {
        const b = await provider.getBalance();
        balance = { text: b.text, ...(b.usd !== undefined ? { covers: b.usd >= plan.toSubmitUsd } : {}) };
        log.info(
          `${provider.name} balance: ${b.text}${balance.covers === undefined ? "" : balance.covers ? " — covers the rows to submit" : ` — NOT enough for the rows to submit (${formatUsd(plan.toSubmitUsd)})`}`,
        );
      } catch (error) {
        log.warn(`could not read the ${provider.name} balance: ${(error as Error).message}`);
      }
    } else if (keyless)
      log.info(
        `No ${provider.name} key: prices are local, so nothing was asked of ${provider.name}; set the key to see the balance too.`,
      );
    if (options.json)
      process.stdout.write(
        `${JSON.stringify({ ...summary, ...(balance ? { balance: balance.text, balanceCovers: balance.covers ?? null } : {}) })}\n`,
      );
    return plan.invalid > 0 ? 1 : 0;
  } finally {
    db?.close();
  }
}

/** The provider's own line, plus which column fills which of its inputs. */
export function describeWithInputs(provider: Provider, inputMapping: readonly string[]): string {
  const base = provider.describe?.() ?? provider.name;
  return inputMapping.length > 0 ? `${base}; inputs ${inputMapping.join(", ")}` : base;
}
