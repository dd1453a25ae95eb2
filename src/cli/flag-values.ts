import { UserError } from "../util/errors.js";

/** Reading one flag's value: each refuses a bad one with a usage error naming the flag. */

export function usage(message: string): never {
  throw new UserError("USAGE", message);
}

/** `10%` or `0.1`: a share above 0 and at most 1 (100%). */
export function parseShare(value: unknown): number {
  const text = String(value).trim();
  const n = text.endsWith("%") ? Number(text.slice(0, -1)) / 100 : Number(text);
  if (!Number.isFinite(n) || n <= 0 || n > 1)
    usage("--halt-on-failures must be a share such as 10% (or 0.1), above 0 and at most 100%");
  return n;
}

export function positive(
  name: string,
  value: unknown,
  { integer = false, min = 0, orEqual = false } = {},
): number {
  const n = Number(value);
  const ok = Number.isFinite(n) && (orEqual ? n >= min : n > min);
  if (!ok || typeof value === "boolean") usage(`--${name} must be a number greater than ${min}`);
  return integer ? Math.floor(n) : n;
}

export function oneOf<T extends string | number>(name: string, value: unknown, allowed: readonly T[]): T {
  const found = allowed.find((a) => String(a) === String(value));
  if (found === undefined) usage(`--${name} must be one of ${allowed.join(", ")}`);
  return found;
}

export function text(name: string, value: unknown): string {
  if (typeof value !== "string" || value.trim() === "") usage(`--${name} needs a value`);
  return value;
}

/** `--rows 5-20,31`: input line numbers and ranges of them (the header is line 1). */
export function parseRows(value: unknown): [number, number][] {
  const text = String(value).trim();
  const ranges: [number, number][] = [];
  for (const part of text.split(",")) {
    const m = /^\s*(\d+)\s*(?:-\s*(\d+)\s*)?$/.exec(part);
    const from = Number(m?.[1]);
    const to = m?.[2] === undefined ? from : Number(m[2]);
    if (!m || from < 2 || to < from)
      usage(
        `--rows takes input line numbers and ranges, like 5-20,31 (line 1 is the header, so rows start at 2); "${part.trim()}" is not one`,
      );
    ranges.push([from, to]);
  }
  return ranges;
}
