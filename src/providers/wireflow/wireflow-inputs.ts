import { parseBoolean } from "../../job/parse-boolean.js";
import type { ProviderInput } from "../../job/provider-input.js";

/** A value as the workflow input's type wants it: numbers and booleans typed, everything else text. */
export function convertCell(input: ProviderInput, cell: string): { value: unknown } | { problem: string } {
  const type = input.type.toLowerCase();
  if (type === "number" || type === "integer" || type === "float" || type === "int") {
    const n = Number(cell);
    if (cell.trim() === "" || !Number.isFinite(n))
      return {
        problem: `"${cell.slice(0, 20)}" is not a number, but the workflow input "${input.label}" takes one`,
      };
    return { value: n };
  }
  if (type === "boolean" || type === "bool" || type === "toggle") {
    const b = parseBoolean(cell);
    if (b === undefined)
      return { problem: `"${cell.slice(0, 20)}" is not yes or no (input "${input.label}")` };
    return { value: b };
  }
  return { value: cell };
}
