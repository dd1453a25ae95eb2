/**
 * Prices used for estimates, with where each number comes from. Actual charges reported by a
 * provider always win over these; estimates only stand in until a charge is known.
 */
export interface PriceEstimate {
  usd: number;
  credits?: number;
  source: string;
}

export const KIE_USD_PER_CREDIT = 0.005;

/** KIE.AI market price of kling-2.6 (text- and image-to-video alike), in credits. */
export const KIE_KLING_26_CREDITS = {
  5: { silent: 55, sound: 110 },
  10: { silent: 110, sound: 220 },
} as const;

export const KIE_PRICE_SOURCE =
  "kie.ai/pricing archive 2026-06-09 (kling-2.6: 55 credits per 5 s silent, double with sound; 1 credit = $0.005)";

export function estimateKieCost(duration: 5 | 10, sound: boolean): PriceEstimate {
  const credits = KIE_KLING_26_CREDITS[duration][sound ? "sound" : "silent"];
  return { usd: roundUsd(credits * KIE_USD_PER_CREDIT), credits, source: KIE_PRICE_SOURCE };
}

export function roundUsd(usd: number): number {
  return Math.round(usd * 1e6) / 1e6;
}

/** Kling's official price of one unit (1.0 unit = $0.14 in the Kling 2.6 table). */
export const KLING_USD_PER_UNIT = 0.14;

/** Kling 2.6 units per second of video: 720p (std) silent, 1080p (pro) silent, 1080p with audio. */
export const KLING_26_UNITS_PER_SECOND = { stdSilent: 0.3, proSilent: 0.5, proSound: 1.0 } as const;

export const KLING_PRICE_SOURCE =
  "kling.ai/document-api/pricing/base/video (Kling 2.6 per second: 720p silent 0.3 units $0.042, 1080p silent 0.5 units $0.07, 1080p with audio 1.0 unit $0.14)";

export function estimateKlingCost(duration: 5 | 10, mode: "std" | "pro", sound: boolean): PriceEstimate {
  const perSecond = sound
    ? KLING_26_UNITS_PER_SECOND.proSound
    : mode === "pro"
      ? KLING_26_UNITS_PER_SECOND.proSilent
      : KLING_26_UNITS_PER_SECOND.stdSilent;
  const units = roundUsd(perSecond * duration);
  return { usd: roundUsd(units * KLING_USD_PER_UNIT), credits: units, source: KLING_PRICE_SOURCE };
}
