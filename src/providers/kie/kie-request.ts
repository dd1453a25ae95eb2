import { isImageToVideo, type JobSpec } from "../../job/job-spec.js";

export const KIE_MAX_PROMPT = 1000;
export const KIE_T2V_MODEL = "kling-2.6/text-to-video";
export const KIE_I2V_MODEL = "kling-2.6/image-to-video";

export interface KieCreateBody {
  model: typeof KIE_T2V_MODEL | typeof KIE_I2V_MODEL;
  input: {
    prompt: string;
    sound: boolean;
    duration: "5" | "10";
    aspect_ratio?: "16:9" | "9:16" | "1:1";
    image_urls?: [string];
  };
}

/**
 * The createTask body exactly as KIE documents it for kling-2.6: duration is a string, sound a
 * boolean, `aspect_ratio` only for text-to-video (the image sets it otherwise), `image_urls` an
 * array of one URL. No callBackUrl: vidbatch polls, and a callback to nowhere would only leak.
 */
export function buildKieCreateBody(spec: JobSpec): KieCreateBody {
  const duration = spec.duration === 10 ? "10" : "5";
  if (isImageToVideo(spec)) {
    return {
      model: KIE_I2V_MODEL,
      input: { prompt: spec.prompt, image_urls: [spec.imageUrl as string], sound: spec.sound, duration },
    };
  }
  return {
    model: KIE_T2V_MODEL,
    input: { prompt: spec.prompt, sound: spec.sound, aspect_ratio: spec.aspectRatio, duration },
  };
}
