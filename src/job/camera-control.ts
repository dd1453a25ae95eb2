/**
 * Kling's camera movement (docs/provider-contracts.md, Kling create: `camera_control`): a preset
 * move, or `simple` with exactly one of six axes set to a non-zero value in [-10, 10].
 */
export const CAMERA_PRESETS = ["down_back", "forward_up", "right_turn_forward", "left_turn_forward"] as const;
export type CameraPreset = (typeof CAMERA_PRESETS)[number];
export const CAMERA_AXES = ["horizontal", "vertical", "pan", "tilt", "roll", "zoom"] as const;
export type CameraAxis = (typeof CAMERA_AXES)[number];

export type CameraControl = { type: CameraPreset } | { type: "simple"; config: Record<CameraAxis, number> };

const HOW =
  'write a preset (down_back, forward_up, right_turn_forward, left_turn_forward), one axis such as "zoom=5" (horizontal, vertical, pan, tilt, roll or zoom, from -10 to 10), or Kling\'s JSON';

/** A cell as a camera control, or why it cannot be one (with what to write instead). */
export function parseCameraControl(cell: string): { value: CameraControl } | { error: string } {
  const text = cell.trim();
  if (text.startsWith("{")) return fromJson(text);
  const preset = text.toLowerCase().replace(/[\s-]+/g, "_");
  if ((CAMERA_PRESETS as readonly string[]).includes(preset))
    return { value: { type: preset as CameraPreset } };
  const pairs = text
    .replace(/^simple\b[\s:,]*/i, "")
    .split(/[\s,;]+/)
    .filter(Boolean);
  const config: Partial<Record<string, number>> = {};
  for (const pair of pairs) {
    const m = /^([a-z]+)\s*[=:]\s*(-?\d+(?:\.\d+)?)$/i.exec(pair);
    if (!m) return { error: `"${clip(text)}" is not a camera control; ${HOW}` };
    config[(m[1] as string).toLowerCase()] = Number(m[2]);
  }
  return simple(config, text);
}

function fromJson(text: string): { value: CameraControl } | { error: string } {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return { error: `the camera control is not valid JSON; ${HOW}` };
  }
  const o = parsed as { type?: unknown; config?: unknown };
  if (typeof o !== "object" || o === null || typeof o.type !== "string")
    return { error: `the camera control JSON needs a "type"; ${HOW}` };
  if ((CAMERA_PRESETS as readonly string[]).includes(o.type)) {
    if (o.config !== undefined && o.config !== null)
      return { error: `a "${o.type}" camera move takes no config; remove it, or use type "simple"` };
    return { value: { type: o.type as CameraPreset } };
  }
  if (o.type !== "simple") return { error: `"${clip(o.type)}" is not a camera control type; ${HOW}` };
  if (typeof o.config !== "object" || o.config === null)
    return { error: 'a "simple" camera move needs a config with one axis, e.g. {"zoom": 5}' };
  return simple(o.config as Record<string, unknown>, text);
}

function simple(config: Record<string, unknown>, text: string): { value: CameraControl } | { error: string } {
  const full = Object.fromEntries(CAMERA_AXES.map((a) => [a, 0])) as Record<CameraAxis, number>;
  for (const [key, value] of Object.entries(config)) {
    if (!(CAMERA_AXES as readonly string[]).includes(key))
      return {
        error: `"${clip(key)}" is not a camera axis; use horizontal, vertical, pan, tilt, roll or zoom`,
      };
    if (typeof value !== "number" || !Number.isFinite(value) || value < -10 || value > 10)
      return { error: `camera ${key} must be a number from -10 to 10` };
    full[key as CameraAxis] = value;
  }
  const set = CAMERA_AXES.filter((a) => full[a] !== 0);
  if (set.length !== 1)
    return {
      error: `"${clip(text)}" sets ${set.length === 0 ? "no" : set.length} camera axes; a simple camera move sets exactly one to a non-zero value (e.g. zoom=5)`,
    };
  return { value: { type: "simple", config: full } };
}

function clip(text: string): string {
  return text.length <= 40 ? text : `${text.slice(0, 39)}…`;
}
