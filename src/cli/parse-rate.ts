import type { Rate } from "../providers/provider.js";
import { UserError } from "../util/errors.js";

const UNIT_MS: Record<string, number> = { ms: 1, s: 1000, sec: 1000, m: 60_000, min: 60_000, h: 3_600_000 };

/** "20/10s", "10/s", "60/min", "1000/h": at most N requests in any such window. */
export function parseRate(flag: string, value: unknown): Rate {
  if (typeof value === "object" && value !== null && "max" in value && "windowMs" in value)
    return value as Rate;
  const m = /^\s*(\d+(?:\.\d+)?)\s*\/\s*(\d+(?:\.\d+)?)?\s*(ms|s|sec|m|min|h)\s*$/i.exec(String(value));
  const max = Number(m?.[1]);
  const windowMs = Number(m?.[2] ?? 1) * (UNIT_MS[(m?.[3] ?? "").toLowerCase()] ?? Number.NaN);
  if (!m || !(max >= 1) || !Number.isInteger(max) || !(windowMs > 0))
    throw new UserError("USAGE", `--${flag} must look like 20/10s, 10/s or 60/min (requests per window)`);
  return { max, windowMs };
}
