/**
 * The legacy-standard create rules per `model_name`, as the simulator reads docs/provider-contracts.md
 * (Kling models): written from the documents, never from the adapter, so the two can disagree.
 */

export type KlingKind = "text2video" | "image2video";

interface SimKlingModel {
  modes: string[];
  durations: string[];
  /** Native audio: never, in pro only, in any mode. */
  sound: "no" | "pro" | "any";
  cfg: boolean;
  /** Camera control: where documented (mode/duration). */
  camera?: { mode: string; duration: string };
  /** End frame: the modes it needs, and whether sound is refused with it. */
  tail?: { modes: string[]; durations?: string[]; silent?: boolean };
  /** Image-to-video only: a text2video create is refused. */
  imageOnly?: boolean;
  /** On the current standard only: a legacy create naming it is refused. */
  currentOnly?: boolean;
  /** Units per second charged: documented for 2.5 Turbo and later; a stand-in for the others. */
  units: { std: number; pro: number; stdSound?: number; proSound?: number };
}

const FIVE_TEN = ["5", "10"];
const MODELS: Record<string, SimKlingModel> = {
  "kling-v1": {
    modes: ["std", "pro"],
    durations: FIVE_TEN,
    sound: "no",
    cfg: true,
    camera: { mode: "std", duration: "5" },
    tail: { modes: ["std", "pro"], durations: ["5"] },
    units: { std: 0.2, pro: 0.7 },
  },
  "kling-v1-5": {
    modes: ["std", "pro"],
    durations: FIVE_TEN,
    sound: "no",
    cfg: true,
    tail: { modes: ["pro"] },
    imageOnly: true,
    units: { std: 0.2, pro: 0.7 },
  },
  "kling-v1-6": {
    modes: ["std", "pro"],
    durations: FIVE_TEN,
    sound: "no",
    cfg: true,
    tail: { modes: ["pro"] },
    units: { std: 0.2, pro: 0.7 },
  },
  "kling-v2-master": { modes: [], durations: FIVE_TEN, sound: "no", cfg: false, units: { std: 2, pro: 2 } },
  "kling-v2-1": {
    modes: ["std", "pro"],
    durations: FIVE_TEN,
    sound: "no",
    cfg: false,
    tail: { modes: ["pro"] },
    imageOnly: true,
    units: { std: 0.25, pro: 0.45 },
  },
  "kling-v2-1-master": { modes: [], durations: FIVE_TEN, sound: "no", cfg: false, units: { std: 2, pro: 2 } },
  "kling-v2-5-turbo": {
    modes: ["std", "pro"],
    durations: FIVE_TEN,
    sound: "no",
    cfg: false,
    tail: { modes: ["pro"] },
    units: { std: 0.3, pro: 0.5 },
  },
  "kling-v2-6": {
    modes: ["std", "pro"],
    durations: FIVE_TEN,
    sound: "pro",
    cfg: false,
    tail: { modes: ["pro"], silent: true },
    units: { std: 0.3, pro: 0.5, proSound: 1.0 },
  },
  // Kling 3.0 Turbo, reached through the current standard only (its stand-in legacy name).
  "kling-v3-turbo": {
    modes: ["std", "pro"],
    durations: Array.from({ length: 13 }, (_, i) => String(i + 3)),
    sound: "no",
    cfg: false,
    currentOnly: true,
    units: { std: 0.8, pro: 1.0 },
  },
  "kling-v3": {
    modes: ["std", "pro"],
    durations: Array.from({ length: 13 }, (_, i) => String(i + 3)),
    sound: "any",
    cfg: false,
    tail: { modes: ["std", "pro"] },
    units: { std: 0.6, pro: 0.8, stdSound: 0.9, proSound: 1.2 },
  },
};

const PRESETS = ["down_back", "forward_up", "right_turn_forward", "left_turn_forward"];
const AXES = ["horizontal", "vertical", "pan", "tilt", "roll", "zoom"];

function checkCamera(c: unknown): string | undefined {
  const cc = c as { type?: unknown; config?: Record<string, unknown> } | null;
  if (!cc || typeof cc !== "object") return "camera_control must be an object";
  if (PRESETS.includes(cc.type as string))
    return cc.config ? `camera_control.config is not used with type ${cc.type}` : undefined;
  if (cc.type !== "simple")
    return "camera_control.type must be simple, down_back, forward_up, right_turn_forward or left_turn_forward";
  if (!cc.config || typeof cc.config !== "object") return "camera_control.config is required for type simple";
  const values = Object.entries(cc.config);
  if (values.some(([k, v]) => !AXES.includes(k) || typeof v !== "number" || v < -10 || v > 10))
    return "camera_control.config values must be numbers in [-10, 10] for horizontal, vertical, pan, tilt, roll, zoom";
  if (values.filter(([, v]) => v !== 0).length !== 1)
    return "camera_control.config must set exactly one non-zero parameter";
  return undefined;
}

/** Why Kling would refuse this create body (code 1201), or undefined when it is acceptable. */
export function validateKlingBody(kind: KlingKind, b: Record<string, unknown>): string | undefined {
  const name = typeof b.model_name === "string" ? b.model_name : "kling-v1"; // the documented default
  const model = MODELS[name];
  if (!model) return `model_name must be one of ${Object.keys(MODELS).join(", ")}`;
  if (b.prompt !== undefined && typeof b.prompt !== "string") return "prompt must be a string";
  const prompt = (b.prompt as string | undefined) ?? "";
  if (kind === "text2video" && prompt.trim() === "") return "prompt is required";
  if (kind === "text2video" && model.imageOnly) return `${name} supports image2video only`;
  if ([...prompt].length > 2500) return "prompt must not exceed 2500 characters";
  if (
    b.negative_prompt !== undefined &&
    (typeof b.negative_prompt !== "string" || [...b.negative_prompt].length > 2500)
  )
    return "negative_prompt must be a string of at most 2500 characters";
  if (
    b.callback_url !== undefined &&
    (typeof b.callback_url !== "string" || !/^https?:\/\/\S+$/.test(b.callback_url))
  )
    return "callback_url must be an http(s) URL";
  const duration = (b.duration as string | undefined) ?? "5";
  if (!model.durations.includes(duration))
    return `duration must be one of ${model.durations.map((d) => `"${d}"`).join(", ")} for ${name}`;
  if (b.mode !== undefined) {
    if (model.modes.length === 0) return `mode is not supported for ${name}`;
    if (!model.modes.includes(b.mode as string)) return "mode must be std or pro";
  }
  const mode = (b.mode as string | undefined) ?? "std";
  if (b.sound !== undefined && b.sound !== "on" && b.sound !== "off") return "sound must be on or off";
  if (b.sound === "on") {
    if (model.sound === "no") return `sound is only supported by kling-v2-6 and later (${name})`;
    if (model.sound === "pro" && mode !== "pro")
      return `sound is only supported in pro mode (1080P) for ${name}`;
  }
  if (b.cfg_scale !== undefined) {
    if (!model.cfg) return `cfg_scale is only supported by the kling-v1.x models (${name})`;
    if (typeof b.cfg_scale !== "number" || b.cfg_scale < 0 || b.cfg_scale > 1)
      return "cfg_scale must be in [0, 1]";
  }
  if (b.camera_control !== undefined) {
    const bad = checkCamera(b.camera_control);
    if (bad) return bad;
    if (!model.camera || model.camera.mode !== mode || model.camera.duration !== duration)
      return `camera_control is not supported for ${name} ${mode} ${duration}s`;
  }
  if (
    b.external_task_id !== undefined &&
    (typeof b.external_task_id !== "string" || b.external_task_id === "")
  )
    return "external_task_id must be a non-empty string";
  if (kind === "text2video") {
    if (b.aspect_ratio !== undefined && !["16:9", "9:16", "1:1"].includes(b.aspect_ratio as string))
      return "aspect_ratio must be 16:9, 9:16 or 1:1";
    if (b.image !== undefined || b.image_tail !== undefined) return "image is not a text2video field";
    return undefined;
  }
  if (typeof b.image !== "string" || b.image.trim() === "") return "image is required";
  if (b.aspect_ratio !== undefined) return "aspect_ratio is not an image2video field";
  if (b.image_tail !== undefined) {
    if (typeof b.image_tail !== "string" || b.image_tail.trim() === "") return "image_tail must be an image";
    const tail = model.tail;
    if (!tail) return `image_tail is not supported for ${name}`;
    if (!tail.modes.includes(mode))
      return `image_tail is only supported in ${tail.modes.join("/")} mode for ${name}`;
    if (tail.durations && !tail.durations.includes(duration))
      return `image_tail is only supported for ${tail.durations.join("/")}s videos on ${name}`;
    if (tail.silent && b.sound === "on") return "image_tail is only supported for silent videos";
    if (b.camera_control !== undefined) return "image_tail and camera_control cannot be used together";
  }
  return undefined;
}

/** Resource-pack units a valid create costs (the body passed validateKlingBody). */
export function klingUnits(b: Record<string, unknown>): number {
  // 4k (Kling 3.0 on the current standard): 3 units a second, sound or not.
  if (b.uhd === true) return 3 * Number((b.duration as string | undefined) ?? "5");
  const model = MODELS[(b.model_name as string | undefined) ?? "kling-v1"] as SimKlingModel;
  const pro = b.mode === "pro";
  const sound = b.sound === "on";
  const u = model.units;
  const perSecond = sound ? ((pro ? u.proSound : u.stdSound) ?? u.pro) : pro ? u.pro : u.std;
  return Math.round(perSecond * Number((b.duration as string | undefined) ?? "5") * 100) / 100;
}

const DAY_MS = 24 * 3600 * 1000;

/** `/account/costs` data: one online pack holding the balance, plus an expired one (which holds nothing usable). */
export function resourcePacks(balance: number, now: number): Record<string, unknown> {
  const day = DAY_MS;
  return {
    code: 0,
    msg: "success",
    resource_pack_subscribe_infos: [
      {
        resource_pack_name: "Video Generation - 10,000 entries",
        resource_pack_id: "509f3sim",
        resource_pack_type: "decreasing_total",
        total_quantity: 10_000_000,
        remaining_quantity: balance,
        purchase_time: now - 30 * day,
        effective_time: now - 30 * day,
        invalid_time: now + 335 * day,
        status: "online",
      },
      {
        resource_pack_name: "Video Generation - trial",
        resource_pack_id: "1a2bsim",
        resource_pack_type: "decreasing_total",
        total_quantity: 200,
        remaining_quantity: 118,
        purchase_time: now - 90 * day,
        effective_time: now - 90 * day,
        invalid_time: now - 60 * day,
        status: "expired",
      },
    ],
  };
}

/** Whether a legacy create names a model only the current standard offers. */
export function isCurrentOnly(modelName: unknown): boolean {
  return typeof modelName === "string" && MODELS[modelName]?.currentOnly === true;
}
