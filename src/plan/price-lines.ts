import type { JobSpec } from "../job/job-spec.js";
import { canonicalModelName } from "../job/model-name.js";
import { otherVideoModelName, tierOfName } from "../job/other-model-names.js";
import type { PriceEstimate } from "../providers/price.js";

export interface PriceLine {
  model: string;
  mode: string;
  duration: number;
  sound: boolean;
  count: number;
  unitUsd?: number;
  /** The same price in the provider's own unit (KIE credits, Kling units, Wireflow credits). */
  unitCredits?: number;
  source: string;
}

/** The pending rows grouped by model, mode (and resolution), duration and sound, each group with its unit price. */
export function createPriceLines(
  /** Fields the provider does not send (Wireflow's workflow decides): they do not split a line. */
  unsupported: readonly string[] = [],
) {
  const lines = new Map<string, PriceLine>();
  return {
    add(spec: JobSpec, price: PriceEstimate): void {
      const line = {
        model: canonicalModelName(spec.model) ?? otherVideoModelName(spec.model) ?? spec.model,
        // The tier a model name carries (`…-pro`) and the resolution price a row too.
        mode: [
          unsupported.includes("mode") ? undefined : (spec.mode ?? tierOfName(spec.model)),
          unsupported.includes("resolution") ? undefined : spec.resolution,
        ]
          .filter(Boolean)
          .join(" "),
        duration: spec.duration,
        sound: spec.sound,
      };
      const key = JSON.stringify(line);
      const entry = lines.get(key);
      if (entry) entry.count++;
      else
        lines.set(key, {
          ...line,
          count: 1,
          ...(price.usd !== undefined ? { unitUsd: price.usd } : {}),
          ...(price.credits !== undefined ? { unitCredits: price.credits } : {}),
          source: price.source,
        });
    },
    list: (): PriceLine[] => [...lines.values()],
  };
}
