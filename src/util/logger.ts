import { redactSecrets } from "./redact.js";

export interface Logger {
  info(message: string): void;
  /** Per-row progress lines; silenced by --quiet. */
  row(message: string): void;
  warn(message: string): void;
  error(message: string): void;
}

/**
 * Progress and diagnostics go to stderr (stdout is kept for --json). Every line passes through
 * secret redaction, whatever its origin.
 */
export function createLogger(options: {
  stream?: NodeJS.WritableStream;
  secrets: readonly string[];
  quiet?: boolean;
}): Logger {
  const stream = options.stream ?? process.stderr;
  const write = (prefix: string, message: string) => {
    stream.write(`${prefix}${redactSecrets(message, options.secrets)}\n`);
  };
  return {
    info: (m) => write("", m),
    row: (m) => {
      if (!options.quiet) write("  ", m);
    },
    warn: (m) => write("warning: ", m),
    error: (m) => write("error: ", m),
  };
}

export const silentLogger: Logger = { info() {}, row() {}, warn() {}, error() {} };
