/**
 * A named input a provider takes beyond the spec's own fields — a Wireflow workflow's input node —
 * as the provider describes it. input/ decides which column fills it; the provider types the value.
 */
export interface ProviderInput {
  /** The provider's id for it (Wireflow: the node id); the key in `JobSpec.inputs`. */
  id: string;
  label: string;
  type: string;
  required: boolean;
  default?: unknown;
  description?: string;
}

function hasDefault(input: ProviderInput): boolean {
  return input.default !== undefined && input.default !== null && input.default !== "";
}

/** Whether the provider can run without a value for this input. */
export function isOptional(input: ProviderInput): boolean {
  return !input.required || hasDefault(input);
}
