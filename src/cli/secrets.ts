/** The environment variables that hold secrets (never flags; see README › Secrets). */
const SECRET_NAMES = ["KIE_API_KEY", "KLING_ACCESS_KEY", "KLING_SECRET_KEY", "WIREFLOW_API_KEY"];

/** The keys in the environment: what any output is redacted for, whatever read it from the ledger. */
export function secretsIn(env: Record<string, string | undefined>): string[] {
  return SECRET_NAMES.map((n) => env[n]?.trim()).filter((s): s is string => !!s);
}
