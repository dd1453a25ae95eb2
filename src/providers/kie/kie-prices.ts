import type { JobSpec } from "../../job/job-spec.js";
import { type PriceEstimate, roundUsd } from "../price.js";
import { findKieModel } from "./kie-models.js";

export const KIE_USD_PER_CREDIT = 0.005;

export const KIE_PRICE_SOURCE =
  "kie.ai/pricing archive 2026-06-09 (kling-2.6: 55 credits per 5 s silent, double with sound; kling-2.5-turbo pro: 42 per 5 s; kling-3.0: $0.07–0.135 per s; 1 credit = $0.005)";

/** docs/provider-contracts.md, KIE prices. */
export function estimateKieCost(spec: JobSpec): PriceEstimate {
  const model = findKieModel(spec.model);
  if (!model) return { source: `unknown: no KIE price for ${spec.model}` };
  const raw = model.credits(spec);
  // A model (or combination) the price table does not list: unknown, never $0.
  if (!Number.isFinite(raw))
    return { source: model.priceSource ?? `unknown: no KIE price for ${spec.model}` };
  const credits = roundUsd(raw);
  return {
    usd: roundUsd(credits * KIE_USD_PER_CREDIT),
    credits,
    source: model.priceSource ?? KIE_PRICE_SOURCE,
  };
}
