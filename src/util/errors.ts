/**
 * The catalogue of stable error codes: what scripts and users can rely on. Each names a situation
 * the user can act on; the CLI (`cli/exit-codes.ts`) alone decides which exit code each one gets.
 */
export const ERROR_CODES = [
  /** A flag or argument is wrong (yargs' own parsing errors too). */
  "USAGE",
  /** --provider wireflow without --workflow. */
  "USAGE_WORKFLOW",
  /** A --map pair names no workflow input or no CSV column. */
  "USAGE_MAP",
  /** A required workflow input that no CSV column fills. */
  "USAGE_WORKFLOW_INPUT",
  /** The provider's key is not in the environment or .env. */
  "CONFIG_NO_KEY",
  /** The provider refused the key before anything was submitted. */
  "CONFIG_KEY_NEEDED",
  "CONFIG_KEY_REJECTED",
  /** --provider names no provider vidbatch knows. */
  "CONFIG_PROVIDER",
  /** The ledger has tasks in flight on another provider. */
  "CONFIG_PROVIDER_MISMATCH",
  /** --base-url would send the key in clear text (http to a host that is not this machine). */
  "CONFIG_INSECURE_URL",
  /** The workflow does not exist for this key. */
  "CONFIG_WORKFLOW",
  /** The input file cannot be opened. */
  "INPUT_UNREADABLE",
  /** The input has no header, or a header and no rows. */
  "INPUT_EMPTY",
  /** The input has no prompt column. */
  "INPUT_NO_PROMPT",
  /** The input is not UTF-8 text. */
  "INPUT_ENCODING",
  /** The input's quoting cannot be parsed. */
  "INPUT_MALFORMED",
  /** status/export/report found no ledger. */
  "LEDGER_MISSING",
  /** The file is not a vidbatch ledger. */
  "LEDGER_INVALID",
  /** The ledger cannot be opened or migrated. */
  "LEDGER_UNREADABLE",
  /** The ledger was written by a newer vidbatch. */
  "LEDGER_TOO_NEW",
  /** The results, videos or report cannot be written where the options point. */
  "OUTPUT_UNWRITABLE",
  /** Another run holds the ledger. */
  "LEDGER_BUSY",
  /** Another run took the ledger over while this one was suspended: this one stopped. */
  "LEDGER_TAKEN_OVER",
  /** The provider could not be reached to prepare the run (nothing was submitted; try again). */
  "PROVIDER_UNAVAILABLE",
  /** The disk is full (or failed): the run stopped with everything written kept; free space, resume. */
  "DISK_FULL",
  /** The ledger, results, videos or report cannot be written (permissions, a read-only disk). */
  "LEDGER_READ_ONLY",
  /** The ledger file is damaged (not a database, or corrupt pages). */
  "LEDGER_CORRUPT",
  /** The input is larger than vidbatch reads (a workbook that inflates past the cap). */
  "INPUT_TOO_LARGE",
] as const;

export type ErrorCode = (typeof ERROR_CODES)[number];

/**
 * "Stop, the user was told": a situation the user can act on, with a stable `code` and a message
 * that says what to do. Anything else that escapes to the entry point is a bug and is reported as one.
 */
export class UserError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
  ) {
    super(message);
    this.name = "UserError";
  }
}
