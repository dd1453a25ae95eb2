import type { JobSpec } from "../../job/job-spec.js";
import { type PriceEstimate, roundUsd } from "../price.js";
import { findKlingModel } from "./kling-models.js";
import { klingMode } from "./kling-request.js";

/** Kling's official price of one unit (1.0 unit = $0.14 in its video price table). */
export const KLING_USD_PER_UNIT = 0.14;

export const KLING_PRICE_SOURCE =
  "kling.ai/document-api/pricing/base/video as read 2026-06 (per second, 1 unit = $0.14; Kling 2.5 Turbo, 2.6 and 3.0)";

/**
 * docs/provider-contracts.md, Kling prices: units per second by model, mode and sound. A model or
 * combination the table does not list has an unknown price (never $0).
 */
export function estimateKlingCost(spec: JobSpec): PriceEstimate {
  const model = findKlingModel(spec.model);
  // 4k (Kling 3.0, current standard): 3 units a second, with or without sound.
  if (spec.resolution === "4k" && model?.family === "kling-3.0") {
    const units = roundUsd(3 * spec.duration);
    return { usd: roundUsd(units * KLING_USD_PER_UNIT), credits: units, source: KLING_PRICE_SOURCE };
  }
  const mode = model ? klingMode(spec, model) : undefined;
  const tier = mode ? model?.unitsPerSecond?.[mode] : undefined;
  const perSecond = spec.sound ? tier?.sound : tier?.silent;
  if (perSecond === undefined)
    return {
      source: `unknown: Kling's price table lists no price for ${model?.modelName ?? spec.model}${mode ? ` ${mode}` : ""}${spec.sound ? " with sound" : ""}`,
    };
  const units = roundUsd(perSecond * spec.duration);
  return { usd: roundUsd(units * KLING_USD_PER_UNIT), credits: units, source: KLING_PRICE_SOURCE };
}
