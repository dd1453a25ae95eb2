/**
 * The Kling models users name in spreadsheets, under any of the spellings they write: ours
 * (`kling-2.6`), Kling's `model_name` (`kling-v2-6`), KIE's model ids (`kling-2.6/text-to-video`,
 * `kling/v2-5-turbo-text-to-video-pro`) and plain words (`Kling V2.1 Master`, `v2-5-turbo`, `3.0`).
 * Each becomes one canonical name; providers map canonical names to what they run.
 */
export const KLING_FAMILY = [
  "kling-1.0",
  "kling-1.5",
  "kling-1.6",
  "kling-2.0-master",
  "kling-2.1",
  "kling-2.1-master",
  "kling-2.5-turbo",
  "kling-2.6",
  "kling-3.0",
  "kling-3.0-turbo",
] as const;
export type KlingFamilyName = (typeof KLING_FAMILY)[number];

/**
 * Versions that exist in only one tier, so the tier may be left out. Not 2.1: Kling has a 2.1
 * (std/pro image-to-video) beside the 2.1 Master, at another price.
 */
const SOLE_TIER: Record<string, string> = { "2.0": "master", "2.5": "turbo" };

/** Spellings already read: a sheet names a handful of models in 100,000 rows. */
const seen = new Map<string, KlingFamilyName | undefined>();

export function canonicalModelName(written: string): KlingFamilyName | undefined {
  if (seen.has(written)) return seen.get(written);
  const name = readModelName(written);
  if (seen.size < 1000) seen.set(written, name);
  return name;
}

function readModelName(written: string): KlingFamilyName | undefined {
  let s = written.trim().toLowerCase();
  s = s.replace(/\/(text|image)-to-video$|\/video$/, "");
  s = s.replace(/-(text|image)-to-video(-pro)?$/, "");
  s = s.replace(/^kling\s*(ai)?[\s/_-]*/, "").replace(/^v(?=\d)/, "");
  const m = /^(\d+)(?:[._-](\d+))?(?:[\s._-]*(master|turbo))?(?:[\s._-]*(pro|std|standard))?$/.exec(s);
  if (!m) return undefined;
  const version = `${m[1]}.${m[2] ?? "0"}`;
  const tier = m[3] ?? SOLE_TIER[version];
  const name = `kling-${version}${tier ? `-${tier}` : ""}`;
  return (KLING_FAMILY as readonly string[]).includes(name) ? (name as KlingFamilyName) : undefined;
}
