/** The legacy-standard create rules for kling-v2-6 (docs/provider-contracts.md, Kling create). */

export type KlingKind = "text2video" | "image2video";

const MODEL_NAMES = new Set([
  "kling-v1",
  "kling-v1-6",
  "kling-v2-master",
  "kling-v2-1-master",
  "kling-v2-5-turbo",
  "kling-v2-6",
  "kling-v3",
]);
/** Why Kling would refuse this create body (code 1201), or undefined when it is acceptable. */
export function validateKlingBody(kind: KlingKind, b: Record<string, unknown>): string | undefined {
  if (typeof b.model_name !== "string" || !MODEL_NAMES.has(b.model_name))
    return `model_name must be one of ${[...MODEL_NAMES].join(", ")}`;
  if (b.model_name !== "kling-v2-6") return "this simulator serves kling-v2-6 only";
  if (b.prompt !== undefined && typeof b.prompt !== "string") return "prompt must be a string";
  const prompt = (b.prompt as string | undefined) ?? "";
  if (kind === "text2video" && prompt.trim() === "") return "prompt is required";
  if ([...prompt].length > 2500) return "prompt must not exceed 2500 characters";
  if (
    b.negative_prompt !== undefined &&
    (typeof b.negative_prompt !== "string" || [...b.negative_prompt].length > 2500)
  )
    return "negative_prompt must be a string of at most 2500 characters";
  if (b.duration !== undefined && b.duration !== "5" && b.duration !== "10")
    return 'duration must be "5" or "10" for kling-v2-6';
  if (b.mode !== undefined && b.mode !== "std" && b.mode !== "pro") return "mode must be std or pro";
  if (b.sound !== undefined && b.sound !== "on" && b.sound !== "off") return "sound must be on or off";
  const pro = b.mode === "pro";
  if (b.sound === "on" && !pro) return "sound is only supported in pro mode (1080P) for kling-v2-6";
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
    if (!pro) return "image_tail is only supported in pro mode for kling-v2-6";
    if (b.sound === "on") return "image_tail is only supported for silent videos";
  }
  return undefined;
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
