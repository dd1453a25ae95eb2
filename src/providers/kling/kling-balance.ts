import { formatUsd } from "../../util/format-usd.js";
import { roundUsd } from "../price.js";
import type { Balance } from "../provider.js";
import type { ApiCall } from "../provider-call.js";
import { isProviderError } from "../provider-error.js";
import { readCashBalance } from "./kling-current.js";
import { KLING_USD_PER_UNIT } from "./kling-prices.js";
import { type KlingCall, readKlingBalance } from "./kling-response.js";

/**
 * What the account can spend: the units of its online resource packs (`/account/costs`) and, with
 * an API key, the cash balance the latest deduction left (docs/provider-contracts.md, Kling
 * current standard). Said as text; in dollars only where every part is known in dollars.
 */
export async function readKlingAccountBalance(
  call: ApiCall<KlingCall, unknown>,
  apiKey: boolean,
  signal?: AbortSignal,
): Promise<Balance> {
  // The window filters packs by purchase time: look back far enough to see every live pack.
  const end = Date.now();
  const start = end - 400 * 24 * 3600 * 1000;
  const data = await call(
    "account",
    "GET",
    `/account/costs?start_time=${start}&end_time=${end}`,
    undefined,
    signal,
  );
  const units = readKlingBalance(data);
  const cash = apiKey ? await readCash(call, end, signal) : undefined;
  if (cash) {
    const packs = units ? `${units.toLocaleString("en-US")} units in online resource packs, and ` : "";
    const text = `${packs}${cash.amount.toLocaleString("en-US")} ${cash.currency} in the cash balance after the last deduction (${cash.at} UTC)`;
    // Dollars only where both parts are known in dollars; a CNY balance is not converted.
    return cash.currency === "USD"
      ? {
          usd: roundUsd(cash.amount + (units ?? 0) * KLING_USD_PER_UNIT),
          ...(units ? { credits: units } : {}),
          text,
        }
      : { text };
  }
  if (units === undefined) return { text: "unknown" };
  // No pack online says nothing of a cash balance, which only deductions reveal (none yet here).
  if (units === 0)
    return {
      text: "no resource-pack units online (a cash balance shows only after its first deduction)",
    };
  const usd = roundUsd(units * KLING_USD_PER_UNIT);
  return {
    credits: units,
    usd,
    text: `${units.toLocaleString("en-US")} units in online resource packs (${formatUsd(usd)}; Kling reports this with up to 12 h delay)`,
  };
}

/**
 * The cash balance as the latest balance deduction left it (`POST /account/billing/balance`:
 * `balance_after_deduction` and `currency` of the newest entry): Kling documents no other way
 * to read it. Undefined when there is none, or it cannot be read (the run goes on).
 */
async function readCash(
  call: ApiCall<KlingCall, unknown>,
  end: number,
  signal?: AbortSignal,
): Promise<{ amount: number; currency: string; at: string } | undefined> {
  try {
    const data = await call(
      "account",
      "POST",
      "/account/billing/balance",
      { start_time: end - 30 * 24 * 3600 * 1000, end_time: end, limit: 500 },
      signal,
    );
    return readCashBalance(data);
  } catch (error) {
    if (isProviderError(error)) return undefined;
    throw error;
  }
}
