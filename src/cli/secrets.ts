import type Database from "better-sqlite3";
import { readMeta } from "../ledger/batch-meta.js";

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
