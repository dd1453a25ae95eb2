import { priceBatch } from "../../run/price-batch.js";
import type { RunIo } from "../../run/run-io.js";
import type { RunSettingsInput } from "../../run/settings.js";
import type { Logger } from "../../util/logger.js";
import type { CommandContext } from "../command.js";
import { formatCounts, formatUsd, roundUsd4 } from "../format.js";
import type { RunOptions } from "../run-options.js";
import { formatPriceLines } from "./price-table.js";
import { unknownPrice } from "./run-summary.js";

/** --dry-run: prices every row (priceBatch) and says what a run would submit, and what stops it. */
export async function dryRun(
  options: RunOptions,
  settings: RunSettingsInput,
  io: RunIo & { log: Logger },
  context: CommandContext,
): Promise<number> {
  const log = io.log;
  const priced = await priceBatch(settings, io);
  const plan = priced.plan;
  if (plan.providerLine) log.info(plan.providerLine);
  log.info(
    `Dry run on ${priced.provider}: ${plan.rows} rows (${plan.textToVideo} text-to-video, ${plan.imageToVideo} image-to-video, ${plan.invalid} invalid). ` +
      `${priced.toSubmit} to submit, estimated ${formatUsd(plan.toSubmitUsd)}${unknownPrice(plan.unknownPriceRows)}${priced.ledgerFound ? `; already in the ledger: ${formatCounts(plan.byStatus)}` : ""}. Nothing was submitted.`,
  );
  for (const line of formatPriceLines(plan.priceLines)) log.info(line);
  if (priced.redo.rows > 0)
    log.info(
      options.redo
        ? `--redo: ${priced.redo.rows} row(s) marked Redo would get a new attempt: new, paid tasks, estimated ${formatUsd(priced.redo.usd)} more`
        : `${priced.redo.rows} row(s) are marked Redo in review: add --redo to submit a new attempt of each (estimated ${formatUsd(priced.redo.usd)})`,
    );
  if (options.maxCost !== undefined && plan.unknownPriceRows > 0 && !options.allowUnknownPrice)
    log.warn(
      `--max-cost: the ${plan.unknownPriceRows} row(s) of unknown price would not be submitted; add --allow-unknown-price to run them`,
    );
  if (
    options.maxCredits !== undefined &&
    priced.estimatedCredits !== null &&
    priced.estimatedCredits > options.maxCredits
  )
    log.warn(
      `--max-credits ${options.maxCredits.toLocaleString("en-US")} would stop the run before every row is submitted (the rows to submit need about ${priced.estimatedCredits.toLocaleString("en-US")})`,
    );
  const redoUsd = options.redo ? priced.redo.usd : 0;
  if (options.maxCost !== undefined && priced.spentUsd + plan.toSubmitUsd + redoUsd > options.maxCost)
    log.warn(`--max-cost ${formatUsd(options.maxCost)} would stop the run before every row is submitted`);
  const balance = priced.balance;
  if (balance)
    log.info(
      `${priced.provider} balance: ${balance.text}${balance.covers === undefined ? "" : balance.covers ? " — covers the rows to submit" : ` — NOT enough for the rows to submit (${formatUsd(plan.toSubmitUsd)})`}`,
    );
  else if (priced.balanceError)
    log.warn(`could not read the ${priced.provider} balance: ${priced.balanceError}`);
  else if (priced.keyless)
    log.info(
      `No ${priced.provider} key: prices are local, so nothing was asked of ${priced.provider}; set the key to see the balance too.`,
    );
  if (options.json)
    (context.stdout ?? process.stdout).write(
      `${JSON.stringify({
        dryRun: true,
        rows: plan.rows,
        invalid: plan.invalid,
        textToVideo: plan.textToVideo,
        imageToVideo: plan.imageToVideo,
        byStatus: plan.byStatus,
        toSubmit: priced.toSubmit,
        estimatedCostUsd: roundUsd4(plan.toSubmitUsd),
        estimatedCredits: priced.estimatedCredits,
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
        spentUsd: priced.spentUsd,
        ...(balance ? { balance: balance.text, balanceCovers: balance.covers ?? null } : {}),
      })}\n`,
    );
  return plan.invalid > 0 ? 1 : 0;
}
