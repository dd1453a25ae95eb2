export const REDACTED = "[redacted]";

/**
 * Replaces every occurrence of a secret in a text. Applied to everything a provider sends (at the
 * adapter, before anything is cut short or stored) and again to everything the tool prints, so an
 * API key or a token echoed back by a provider or a proxy never leaks.
 */
export function redactSecrets(text: string, secrets: readonly string[]): string {
  let out = text;
  for (const secret of secrets) {
    if (secret.length < 4) continue; // too short to be a key; replacing it would garble text
    out = out.split(secret).join(REDACTED);
  }
  return out;
}

/** The same for a parsed JSON value: every string in it, keys included, at any depth. */
export function redactDeep(value: unknown, secrets: readonly string[]): unknown {
  if (typeof value === "string") return redactSecrets(value, secrets);
  if (Array.isArray(value)) return value.map((v) => redactDeep(v, secrets));
  if (typeof value === "object" && value !== null) {
    return Object.fromEntries(
      Object.entries(value).map(([k, v]) => [redactSecrets(k, secrets), redactDeep(v, secrets)]),
    );
  }
  return value;
}
