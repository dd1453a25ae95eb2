import type { JobSpec } from "./job-spec.js";

/**
 * What a spec asks for, with each local frame named by its content rather than its place: a batch
 * whose folder moved (or was opened from another mount) asks for the same videos, and a frame
 * whose bytes changed asks for a different one. Compared as text; the spec's own text otherwise.
 */
export function specIdentity(specJson: string): string {
  const spec = JSON.parse(specJson) as JobSpec;
  const frames = spec.frames;
  if (!frames) return specJson;
  const byContent = (value: string | undefined) => {
    const frame = value === undefined ? undefined : frames[value];
    return frame ? `frame:${frame.sha256}` : value;
  };
  const { frames: _frames, ...rest } = spec;
  return JSON.stringify({
    ...rest,
    ...(rest.imageUrl !== undefined ? { imageUrl: byContent(rest.imageUrl) } : {}),
    ...(rest.endImageUrl !== undefined ? { endImageUrl: byContent(rest.endImageUrl) } : {}),
    ...(rest.inputs
      ? { inputs: Object.fromEntries(Object.entries(rest.inputs).map(([id, v]) => [id, byContent(v)])) }
      : {}),
  });
}
