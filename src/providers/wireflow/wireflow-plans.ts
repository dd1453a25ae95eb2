import type { ProviderLimits } from "../provider.js";

/**
 * Wireflow's plans (docs/provider-contracts.md, Wireflow limits): requests a minute, and
 * executions a day. Executions are 10 a minute on every plan.
 */
export const WIREFLOW_PLANS = {
  free: { requestsPerMinute: 10, dailyExecutions: 50 },
  starter: { requestsPerMinute: 20, dailyExecutions: 200 },
  pro: { requestsPerMinute: 60, dailyExecutions: 1_000 },
  enterprise: { requestsPerMinute: 200, dailyExecutions: undefined },
} as const;
export type WireflowPlan = keyof typeof WIREFLOW_PLANS;
export const WIREFLOW_PLAN_NAMES = Object.keys(WIREFLOW_PLANS) as WireflowPlan[];

const EXECUTIONS_PER_MINUTE = 10;
const MINUTE = 60_000;

/**
 * The engine's limits for a key allowed `requestsPerMinute`: runs take at most half the budget
 * (and never more than 10 a minute); status checks get the rest but two, which are left for the
 * cost lookup of a finished execution and for a replay, spread evenly over the minute.
 */
export function wireflowLimits(requestsPerMinute: number): ProviderLimits {
  const creates = Math.max(1, Math.min(EXECUTIONS_PER_MINUTE, Math.floor(requestsPerMinute / 2)));
  return {
    submitRate: { max: creates, windowMs: MINUTE },
    // Paced evenly (one every 60/n seconds), not n in a burst and then a minute of silence.
    statusRate: { max: 1, windowMs: Math.ceil(MINUTE / Math.max(1, requestsPerMinute - creates - 2)) },
  };
}

/** The plan a reported requests-per-minute budget belongs to, if it is one of the documented ones. */
export function planOfLimit(requestsPerMinute: number): WireflowPlan | undefined {
  return WIREFLOW_PLAN_NAMES.find((p) => WIREFLOW_PLANS[p].requestsPerMinute === requestsPerMinute);
}
