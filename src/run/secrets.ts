import type Database from "better-sqlite3";
import { readMeta } from "../ledger/batch-meta.js";
import { redactSecrets } from "../util/redact.js";

/** The environment variables that hold secrets (see README › Secrets). */
const SECRET_NAMES = [
  "KIE_API_KEY",
  "KLING_API_KEY",
  "KLING_ACCESS_KEY",
  "KLING_SECRET_KEY",
  "WIREFLOW_API_KEY",
  "KIE_WEBHOOK_KEY",
  "KLING_WEBHOOK_SECRET",
];

/** The keys in the environment: what any output is redacted for, whatever read it from the ledger. */
export function secretsIn(env: Record<string, string | undefined>): string[] {
  return SECRET_NAMES.map((n) => env[n]?.trim()).filter((s): s is string => !!s);
}

/** The secrets a ledger holds by design: the batch's callback path secret. */
export function ledgerSecrets(db: Database.Database): string[] {
  const secret = readMeta(db, "callback_secret");
  return secret ? [secret] : [];
}

/**
 * Adds the ledger's secrets to the run's list (the provider redacts its answers with it, the
 * logger its lines) and returns what removes every secret the run knows from provider text before
 * it is stored. The list is shared and grows: the callback path secret, once made, joins it.
 */
export function learnLedgerSecrets(
  db: Database.Database,
  secrets: string[],
  log: { redact(secret: string): void },
): (text: string) => string {
  for (const secret of ledgerSecrets(db)) {
    if (!secrets.includes(secret)) secrets.push(secret);
    log.redact(secret);
  }
  return (text) => redactSecrets(text, secrets);
}
