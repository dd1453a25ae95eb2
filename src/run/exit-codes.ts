import type { ErrorCode } from "../util/errors.js";

/** Exit codes, as the README's table gives them. */
export const EXIT = {
  ok: 0,
  /** The run finished, but some rows failed, are invalid or unknown. */
  rowsFailed: 1,
  /** Usage, configuration or unreadable input: nothing was submitted. */
  usage: 2,
  /** Stopped early and resumable. */
  resumable: 3,
  /** A bug; the ledger is consistent and the same command resumes. */
  internal: 70,
  sigint: 130,
  sigterm: 143,
} as const;

/** The one place that maps an error code to an exit code. */
const EXIT_BY_CODE: Record<ErrorCode, number> = {
  USAGE: EXIT.usage,
  USAGE_WORKFLOW: EXIT.usage,
  USAGE_MAP: EXIT.usage,
  USAGE_WORKFLOW_INPUT: EXIT.usage,
  CONFIG_NO_KEY: EXIT.usage,
  CONFIG_KEY_NEEDED: EXIT.usage,
  CONFIG_KEY_REJECTED: EXIT.usage,
  CONFIG_PROVIDER: EXIT.usage,
  CONFIG_PROVIDER_MISMATCH: EXIT.usage,
  CONFIG_WORKFLOW: EXIT.usage,
  CONFIG_INSECURE_URL: EXIT.usage,
  OUTPUT_UNWRITABLE: EXIT.usage,
  INPUT_UNREADABLE: EXIT.usage,
  INPUT_EMPTY: EXIT.usage,
  INPUT_NO_PROMPT: EXIT.usage,
  INPUT_ENCODING: EXIT.usage,
  INPUT_MALFORMED: EXIT.usage,
  LEDGER_MISSING: EXIT.usage,
  LEDGER_INVALID: EXIT.usage,
  LEDGER_UNREADABLE: EXIT.usage,
  LEDGER_TOO_NEW: EXIT.usage,
  LEDGER_BUSY: EXIT.usage,
  // The run that took over goes on; this one stopped early and the same command resumes later.
  LEDGER_TAKEN_OVER: EXIT.resumable,
  // Nothing was submitted, but the same command may well work in a minute: resumable.
  PROVIDER_UNAVAILABLE: EXIT.resumable,
  // Stopped with everything written kept: once there is space, the same command resumes.
  DISK_FULL: EXIT.resumable,
  LEDGER_READ_ONLY: EXIT.usage,
  LEDGER_CORRUPT: EXIT.usage,
  INPUT_TOO_LARGE: EXIT.usage,
};

export function exitCodeFor(code: ErrorCode): number {
  return EXIT_BY_CODE[code];
}
