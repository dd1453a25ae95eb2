/** The field checks the simulator's KIE schemas share (written from the documents, not the adapter). */
export type Input = Record<string, unknown>;

export interface SimKieModel {
  validate(input: Input): string | undefined;
  credits(input: Input): number;
}

export const ASPECTS = ["1:1", "16:9", "9:16"];
export const isUrl = (v: unknown) => typeof v === "string" && /^https?:\/\//.test(v);
export const chars = (v: unknown) => (typeof v === "string" ? [...v].length : 0);

export function prompt(input: Input, max: number): string | undefined {
  if (typeof input.prompt !== "string" || input.prompt.trim() === "") return "input.prompt is required";
  if (chars(input.prompt) > max) return `input.prompt must be at most ${max} characters`;
  return undefined;
}

export function onlyFields(input: Input, allowed: string[]): string | undefined {
  const extra = Object.keys(input).find((k) => !allowed.includes(k));
  return extra ? `input.${extra} is not a field of this model` : undefined;
}

export function fiveOrTen(input: Input): string | undefined {
  return input.duration === "5" || input.duration === "10"
    ? undefined
    : 'input.duration must be "5" or "10" (a string)';
}

export function cfg(input: Input): string | undefined {
  if (input.cfg_scale === undefined) return undefined;
  const v = input.cfg_scale;
  return typeof v === "number" && v >= 0 && v <= 1
    ? undefined
    : "input.cfg_scale must be a number from 0 to 1";
}
