/**
 * Replaces every occurrence of a secret in a text. Applied to everything the tool prints or stores
 * that could carry provider text, so an API key echoed back by a provider or a proxy never leaks.
 */
export function redactSecrets(text: string, secrets: readonly string[]): string {
  let out = text;
  for (const secret of secrets) {
    if (secret.length < 4) continue; // too short to be a key; replacing it would garble text
    out = out.split(secret).join("[redacted]");
  }
  return out;
}
