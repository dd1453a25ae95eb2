import { type PriceEstimate, roundUsd } from "../price.js";

export const KIE_USD_PER_CREDIT = 0.005;

/** KIE.AI market price of kling-2.6 (text- and image-to-video alike), in credits. */
export const KIE_KLING_26_CREDITS = {
  5: { silent: 55, sound: 110 },
  10: { silent: 110, sound: 220 },
} as const;

export const KIE_PRICE_SOURCE =
  "kie.ai/pricing archive 2026-06-09 (kling-2.6: 55 credits per 5 s silent, double with sound; 1 credit = $0.005)";

/** docs/provider-contracts.md, KIE prices. */
export function estimateKieCost(duration: 5 | 10, sound: boolean): PriceEstimate {
  const credits = KIE_KLING_26_CREDITS[duration][sound ? "sound" : "silent"];
  return { usd: roundUsd(credits * KIE_USD_PER_CREDIT), credits, source: KIE_PRICE_SOURCE };
}
