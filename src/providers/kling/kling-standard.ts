import type { JobSpec, SpecProblem } from "../../job/job-spec.js";
import { KLING_CURRENT_PATHS } from "./kling-current.js";
import { findKlingModel } from "./kling-models.js";

/** Which standard and which auth each kind of model uses, for the plan. */
export function describeKlingAuth(apiKey: boolean): string {
  return apiKey
    ? `API key: Kling's current standard for ${Object.keys(KLING_CURRENT_PATHS).join(", ")} (tasks followed by batched queries); the legacy endpoints, with the API key, for the other models and for rows with a negative prompt, cfg_scale or camera_control`
    : "AccessKey/SecretKey: Kling's legacy standard for every model (KLING_API_KEY would use the current one where it covers the model)";
}

/** Whether a row goes to the current standard: an API key, a model it covers, no legacy-only field. */
export function usesCurrentStandard(spec: JobSpec, apiKey: boolean): boolean {
  const model = findKlingModel(spec.model);
  if (!apiKey || !model || !KLING_CURRENT_PATHS[model.family]) return false;
  return (
    model.currentOnly === true || (!spec.negativePrompt && spec.cfgScale === undefined && !spec.cameraControl)
  );
}

/** A resolution is a mode by another name (720p std, 1080p pro), or 4k: Kling 3.0 on the current standard. */
export function checkKlingResolution(spec: JobSpec, current: boolean): SpecProblem[] {
  const r = spec.resolution;
  const model = findKlingModel(spec.model);
  if (!r || !model) return [];
  const name = `${model.label} (${model.modelName})`;
  if (r === "4k" && spec.mode)
    return [
      {
        field: "resolution",
        message: `4k is neither std (720p) nor pro (1080p); clear the mode, or the resolution`,
      },
    ];
  if (r === "4k")
    return model.family === "kling-3.0" && current
      ? []
      : [
          {
            field: "resolution",
            message: `4k is Kling 3.0's only, on Kling's current standard${model.family === "kling-3.0" ? " (set KLING_API_KEY)" : ""}; use 720p or 1080p on ${name}`,
          },
        ];
  if (r !== "720p" && r !== "1080p")
    return [{ field: "resolution", message: `Kling makes 720p (std) or 1080p (pro) videos, not ${r}` }];
  if (model.modes.length === 0)
    return [{ field: "resolution", message: `${name} has one quality; clear the resolution` }];
  if (spec.mode && spec.mode !== (r === "720p" ? "std" : "pro"))
    return [
      {
        field: "resolution",
        message: `${r} is ${r === "720p" ? "std" : "pro"} mode, but the row asks for ${spec.mode}; keep one of them`,
      },
    ];
  return [];
}
