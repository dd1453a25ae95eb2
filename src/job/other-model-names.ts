/**
 * Video models other than Kling that KIE sells, under the spellings users write: KIE's own ids
 * (`hailuo/2-3-image-to-video-pro`, `wan/2-5-text-to-video`, `bytedance/v1-lite-image-to-video`)
 * and plain words (`Hailuo 2.3`, `Wan 2.5`, `Seedance 1.0 Lite`). Each becomes one canonical name;
 * a tier the name carries (pro, standard) is read as a mode the row did not give.
 */
export const OTHER_VIDEO_MODELS = ["hailuo-2.3", "wan-2.5", "seedance-1.0-pro", "seedance-1.0-lite"] as const;
export type OtherVideoModelName = (typeof OTHER_VIDEO_MODELS)[number];

export function otherVideoModelName(written: string): OtherVideoModelName | undefined {
  const s = written
    .trim()
    .toLowerCase()
    .replace(/[\s_]+/g, "-");
  if (/^(minimax[-/])?hailuo[-/]?(v?2[-.]3)(\b|-)/.test(s) && !/text-to-video/.test(s)) return "hailuo-2.3";
  if (/^(alibaba[-/])?wan[-/]?v?2[-.]5(\b|-|$)/.test(s)) return "wan-2.5";
  const seedance = /^(bytedance[-/])?(seedance[-/]?)?v?1(\.0)?-(pro|lite)(-(text|image)-to-video)?$/.exec(s);
  if (seedance && (s.includes("seedance") || s.startsWith("bytedance")))
    return seedance[4] === "pro" ? "seedance-1.0-pro" : "seedance-1.0-lite";
  // Lite exists in 1.0 only, so the version may be left out (Pro has later versions: not so).
  if (/^(bytedance[-/])?seedance-lite$/.test(s)) return "seedance-1.0-lite";
  return undefined;
}

/** The tier a model name carries, as a mode: `…-pro` is pro, `…-standard` std; none otherwise. */
export function tierOfName(written: string): "std" | "pro" | undefined {
  const s = written.trim().toLowerCase();
  // Seedance's pro and lite are two models, not two tiers of one.
  if (/seedance|bytedance/.test(s)) return undefined;
  if (/(^|[-/\s])pro($|[-/\s])/.test(s)) return "pro";
  if (/(^|[-/\s])(standard|std)($|[-/\s])/.test(s)) return "std";
  return undefined;
}
