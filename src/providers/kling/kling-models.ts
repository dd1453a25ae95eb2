import type { Mode } from "../../job/job-spec.js";
import { canonicalModelName, type KlingFamilyName } from "../../job/model-name.js";

/**
 * What Kling's official API documents for each `model_name` (docs/provider-contracts.md, Kling
 * models). Adding a model is adding an entry here: the checks, the body and the price read it.
 */
export interface KlingModel {
  family: KlingFamilyName;
  modelName: string;
  label: string;
  /** The modes it runs (std 720p, pro 1080p); empty: one quality, and no `mode` is sent. */
  modes: readonly Mode[];
  durations: readonly number[];
  /** Native audio: not offered, offered in pro (1080p) only, or in every mode. */
  sound: "no" | "pro" | "any";
  cfgScale: boolean;
  /** Where `camera_control` is documented for it. */
  camera?: { modes: readonly Mode[]; durations: readonly number[] };
  /** Where an end frame (`image_tail`) is documented for it. */
  endFrame?: { modes: readonly Mode[]; durations?: readonly number[]; silentOnly?: boolean };
  /** Image-to-video only (Kling documents no text-to-video for it). */
  imageOnly?: boolean;
  /** On the current standard only (an API key): `modelName` is then its path name. */
  currentOnly?: boolean;
  /** Units per second by mode and sound, from Kling's price table; absent where it lists none. */
  unitsPerSecond?: { std?: { silent: number; sound?: number }; pro?: { silent: number; sound?: number } };
}

const FIVE_OR_TEN = [5, 10] as const;
const STD_PRO: readonly Mode[] = ["std", "pro"];

export const KLING_MODELS: readonly KlingModel[] = [
  {
    family: "kling-1.0",
    modelName: "kling-v1",
    label: "Kling 1.0",
    modes: STD_PRO,
    durations: FIVE_OR_TEN,
    sound: "no",
    cfgScale: true,
    camera: { modes: ["std"], durations: [5] },
    endFrame: { modes: STD_PRO, durations: [5] },
  },
  {
    // Image-to-video only; std and pro; an end frame in pro since 03/2025 (Kling's API updates log).
    family: "kling-1.5",
    modelName: "kling-v1-5",
    label: "Kling 1.5",
    modes: STD_PRO,
    durations: FIVE_OR_TEN,
    sound: "no",
    cfgScale: true,
    endFrame: { modes: ["pro"] },
    imageOnly: true,
  },
  {
    family: "kling-1.6",
    modelName: "kling-v1-6",
    label: "Kling 1.6",
    modes: STD_PRO,
    durations: FIVE_OR_TEN,
    sound: "no",
    cfgScale: true,
    endFrame: { modes: ["pro"] },
  },
  {
    family: "kling-2.0-master",
    modelName: "kling-v2-master",
    label: "Kling 2.0 Master",
    modes: [],
    durations: FIVE_OR_TEN,
    sound: "no",
    cfgScale: false,
  },
  {
    // Image-to-video only, std and pro; an end frame in pro, 5 or 10 s (API updates, 06/2025 and 09/2025).
    family: "kling-2.1",
    modelName: "kling-v2-1",
    label: "Kling 2.1",
    modes: STD_PRO,
    durations: FIVE_OR_TEN,
    sound: "no",
    cfgScale: false,
    endFrame: { modes: ["pro"] },
    imageOnly: true,
  },
  {
    family: "kling-2.1-master",
    modelName: "kling-v2-1-master",
    label: "Kling 2.1 Master",
    modes: [],
    durations: FIVE_OR_TEN,
    sound: "no",
    cfgScale: false,
  },
  {
    family: "kling-2.5-turbo",
    modelName: "kling-v2-5-turbo",
    label: "Kling 2.5 Turbo",
    modes: STD_PRO,
    durations: FIVE_OR_TEN,
    sound: "no",
    cfgScale: false,
    endFrame: { modes: ["pro"] },
    unitsPerSecond: { std: { silent: 0.3 }, pro: { silent: 0.5 } },
  },
  {
    family: "kling-2.6",
    modelName: "kling-v2-6",
    label: "Kling 2.6",
    modes: STD_PRO,
    durations: FIVE_OR_TEN,
    sound: "pro",
    cfgScale: false,
    endFrame: { modes: ["pro"], silentOnly: true },
    unitsPerSecond: { std: { silent: 0.3 }, pro: { silent: 0.5, sound: 1.0 } },
  },
  {
    family: "kling-3.0",
    modelName: "kling-v3",
    label: "Kling 3.0",
    modes: STD_PRO,
    durations: Array.from({ length: 13 }, (_, i) => i + 3),
    sound: "any",
    cfgScale: false,
    endFrame: { modes: STD_PRO },
    unitsPerSecond: { std: { silent: 0.6, sound: 0.9 }, pro: { silent: 0.8, sound: 1.2 } },
  },
  {
    // Current standard only; 720p (std) or 1080p (pro), 3–15 s, first frame only. Its pages show no
    // audio field (the price table lists only "with native audio"): silent, price unknown.
    family: "kling-3.0-turbo",
    modelName: "kling-3.0-turbo",
    label: "Kling 3.0 Turbo",
    modes: STD_PRO,
    durations: Array.from({ length: 13 }, (_, i) => i + 3),
    sound: "no",
    cfgScale: false,
    currentOnly: true,
  },
];

/** The model a name in a cell means, or undefined when Kling documents no such model. */
export function findKlingModel(written: string): KlingModel | undefined {
  const family = canonicalModelName(written);
  return KLING_MODELS.find((m) => m.family === family);
}

export function klingModelNames(): string {
  return KLING_MODELS.map((m) => m.modelName).join(", ");
}
