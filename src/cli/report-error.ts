import { EXIT, exitCodeFor } from "../run/exit-codes.js";
import { secretsIn } from "../run/secrets.js";
import { UserError } from "../util/errors.js";
import { redactSecrets } from "../util/redact.js";
import { wordFlags } from "./flag-words.js";
import { describeMachineFault } from "./machine-fault.js";

const MAX_MESSAGE = 4000;

/** A message fit for a terminal: no control characters but newlines and tabs, and not megabytes long. */
function boundMessage(message: string): string {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: removing control characters is the point
  const clean = message.replace(/[\u0000-\u0008\u000b-\u001f\u007f]/g, "?");
  return clean.length > MAX_MESSAGE
    ? `${clean.slice(0, MAX_MESSAGE)}… (${clean.length - MAX_MESSAGE} more characters)`
    : clean;
}

export interface ErrorReport {
  code: string;
  message: string;
  exitCode: number;
}

/** What the user is told about an error that ended the command, with every secret redacted. */
export function describeError(error: unknown, env: Record<string, string | undefined>): ErrorReport {
  const secrets = secretsIn(env);
  error = describeMachineFault(error) ?? error;
  if (error instanceof UserError) {
    // The CLI reads a .env file too (the library reads only the environment it is given).
    const text =
      error.code === "CONFIG_NO_KEY"
        ? error.message.replace(
            /Put it in the environment \(/,
            "Put it in the environment or in a .env file in this folder (",
          )
        : error.message;
    return {
      code: error.code,
      message: redactSecrets(text, secrets),
      exitCode: exitCodeFor(error.code),
    };
  }
  const text = error instanceof Error ? (error.stack ?? error.message) : String(error);
  return {
    code: "INTERNAL",
    message: `internal error (this is a bug; the ledger is consistent, so the same command resumes):\n${redactSecrets(text, secrets)}`,
    exitCode: EXIT.internal,
  };
}

/**
 * Reports an error on stderr as `vidbatch [CODE]: message`; with --json it is also one JSON object
 * on stdout (`{"error": {code, message, exitCode}}`), so a script reading stdout always gets JSON.
 * Returns the exit code.
 */
export function reportError(
  error: unknown,
  env: Record<string, string | undefined>,
  json: boolean,
  streams: { stdout?: NodeJS.WritableStream; stderr?: NodeJS.WritableStream } = {},
): number {
  const report = describeError(error, env);
  report.message = boundMessage(wordFlags(report.message));
  (streams.stderr ?? process.stderr).write(`vidbatch [${report.code}]: ${report.message}\n`);
  if (json) (streams.stdout ?? process.stdout).write(`${JSON.stringify({ error: report })}\n`);
  return report.exitCode;
}
