import type { ProviderLimits, Rate } from "../providers/provider.js";
import { RateLimiter } from "./rate-limiter.js";

export interface AccountLimiters {
  creates: RateLimiter;
  statuses: RateLimiter;
}

/** Limiters by account and rates: one set per account in this process. */
const BY_ACCOUNT = new Map<string, AccountLimiters>();

const rateKey = (rate: Rate) => `${rate.max}/${rate.windowMs}`;

/**
 * The rate limiters of the provider account a run uses (`account`: an opaque id of the provider,
 * its address and its key; undefined: limiters of this run alone). A provider limits calls per key, not per
 * run: two runs in one process on the same key (a program that drives several batches through the
 * library, or one run after another) share one budget, so together they stay under the limit and a
 * run that follows another does not walk into the 429s of the calls just before it.
 */
export function limitersFor(account: string | undefined, limits: ProviderLimits): AccountLimiters {
  const { submitRate, statusRate } = limits;
  const fresh = () => ({
    creates: new RateLimiter(submitRate.max, submitRate.windowMs),
    statuses: new RateLimiter(statusRate.max, statusRate.windowMs),
  });
  if (account === undefined) return fresh();
  const key = `${account}|${rateKey(submitRate)}|${rateKey(statusRate)}`;
  let limiters = BY_ACCOUNT.get(key);
  if (!limiters) {
    limiters = fresh();
    BY_ACCOUNT.set(key, limiters);
  }
  return limiters;
}
