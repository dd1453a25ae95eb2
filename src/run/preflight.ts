import type { TaskStore } from "../ledger/task-store.js";
import type { Provider } from "../providers/provider.js";
import { isProviderError } from "../providers/provider-error.js";
import { UserError } from "../util/errors.js";
import { formatUsd } from "../util/format-usd.js";
import type { Logger } from "../util/logger.js";
import { setting } from "../util/setting-name.js";

/**
 * Tasks in flight on another provider can only be followed by that provider: switching --provider
 * on such a ledger would poll (or look up) task IDs the new provider has never heard of.
 */
export function refuseForeignTasksInFlight(tasks: TaskStore, provider: Provider): void {
  const first = tasks.inFlightElsewhere(provider.name)[0];
  if (!first) return;
  throw new UserError(
    "CONFIG_PROVIDER_MISMATCH",
    `this ledger has ${first.n} task(s) still in flight on ${first.provider}. Run again with ${setting("provider")} ${first.provider} to finish them, then switch providers. Nothing was submitted.`,
  );
}

/**
 * Refuses to start when tasks still in flight cannot be followed with the keys given (Kling tasks
 * made with an API key, resumed with only the AccessKey/SecretKey pair): the run would stop at its
 * first query, after submitting more. Nothing is submitted; the message says which key to set.
 */
export function refuseUnfollowableTasks(tasks: TaskStore, provider: Provider): void {
  if (!provider.cannotFollow) return;
  const inFlight = [...tasks.listByState("submitting"), ...tasks.listByState("running")];
  const blocked = inFlight
    .filter((task) => task.provider === provider.name)
    .map((task) => provider.cannotFollow?.(JSON.parse(task.request_json)))
    .filter((reason): reason is string => reason !== undefined);
  if (blocked.length === 0) return;
  throw new UserError(
    "CONFIG_KEY_NEEDED",
    `${blocked.length} task(s) still in flight cannot be followed with the keys given: ${blocked[0]}. Nothing was submitted.`,
  );
}

/** Checks the key and balance before anything is submitted; a rejected key stops here (exit 2). */
export async function checkBalance(
  provider: Provider,
  toSubmitUsd: number,
  log: Logger,
  signal: AbortSignal,
): Promise<void> {
  // Nothing to submit: a finished batch re-run makes no request at all.
  if (!provider.getBalance || toSubmitUsd === 0) return;
  try {
    const balance = await provider.getBalance(signal);
    log.info(`${provider.name} balance: ${balance.text}`);
    if (balance.usd !== undefined && toSubmitUsd > balance.usd) {
      log.warn(
        `the rows to submit are estimated at ${formatUsd(toSubmitUsd)}, more than the balance; the run will stop when credits run out (resumable)`,
      );
    }
  } catch (error) {
    if (!isProviderError(error)) throw error;
    if (error.kind === "auth")
      throw new UserError(
        "CONFIG_KEY_REJECTED",
        `${provider.name} rejected the API key: ${error.message}. Nothing was submitted.`,
      );
    log.warn(`could not read the ${provider.name} balance (${error.message}); going on`);
  }
}
