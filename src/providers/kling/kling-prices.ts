import { type PriceEstimate, roundUsd } from "../price.js";

/** Kling's official price of one unit (1.0 unit = $0.14 in the Kling 2.6 table). */
export const KLING_USD_PER_UNIT = 0.14;

/** Kling 2.6 units per second of video: 720p (std) silent, 1080p (pro) silent, 1080p with audio. */
export const KLING_26_UNITS_PER_SECOND = { stdSilent: 0.3, proSilent: 0.5, proSound: 1.0 } as const;

export const KLING_PRICE_SOURCE =
  "kling.ai/document-api/pricing/base/video (Kling 2.6 per second: 720p silent 0.3 units $0.042, 1080p silent 0.5 units $0.07, 1080p with audio 1.0 unit $0.14)";

/** docs/provider-contracts.md, Kling prices. */
export function estimateKlingCost(duration: 5 | 10, mode: "std" | "pro", sound: boolean): PriceEstimate {
  const perSecond = sound
    ? KLING_26_UNITS_PER_SECOND.proSound
    : mode === "pro"
      ? KLING_26_UNITS_PER_SECOND.proSilent
      : KLING_26_UNITS_PER_SECOND.stdSilent;
  const units = roundUsd(perSecond * duration);
  return { usd: roundUsd(units * KLING_USD_PER_UNIT), credits: units, source: KLING_PRICE_SOURCE };
}
