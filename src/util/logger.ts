import { redactSecrets } from "./redact.js";

/**
 * What a run tells the operator, by how much it matters:
 * - summary: the closing lines (always, even with --quiet);
 * - error, warn, notice: something needs attention — a failure, a row not submitted, an unknown
 *   outcome (always, even with --quiet);
 * - info: how the run goes (start lines, periodic progress; not with --quiet);
 * - row: routine per-row events (a video saved; only with --verbose).
 */
export interface Logger {
  info(message: string): void;
  row(message: string): void;
  notice(message: string): void;
  warn(message: string): void;
  error(message: string): void;
  summary(message: string): void;
  /**
   * The live status line: redrawn in place on a terminal; off a terminal, written as one
   * timestamped line (the caller calls it at a steady interval there).
   */
  status(text: string): void;
  /** Whether status() redraws in place (a terminal) rather than adding lines. */
  readonly live: boolean;
  /** One more value never to print (a secret learned after the logger was made). */
  redact(secret: string): void;
  /** Clears the live line, so what follows starts on a clean line. */
  close(): void;
}

export interface LoggerOptions {
  stream?: NodeJS.WritableStream & { isTTY?: boolean; columns?: number };
  secrets: readonly string[];
  quiet?: boolean;
  verbose?: boolean;
  /** A terminal: one live line redrawn in place. Default: the stream's own isTTY. */
  tty?: boolean;
  /** Colour on a terminal unless NO_COLOR is set. */
  env?: Record<string, string | undefined>;
  /** Clock for timestamps off a terminal. */
  now?: () => Date;
  /** Rewrites each line before it is written (the CLI names settings by their flags). */
  word?: (text: string) => string;
}

const CLEAR_LINE = "\r\u001b[2K";

/**
 * Progress and diagnostics go to stderr (stdout is kept for --json); every line passes through
 * secret redaction. On a terminal a single status line stays at the bottom, redrawn in place, and
 * lines that need attention are printed above it without tearing it. Off a terminal (a log file,
 * CI, nohup) every line is plain text with a timestamp: no escape codes, no carriage returns.
 */
export function createLogger(options: LoggerOptions): Logger {
  const stream = options.stream ?? process.stderr;
  const secrets = [...options.secrets];
  const tty = options.tty ?? stream.isTTY === true;
  const env = options.env ?? process.env;
  const colour = tty && env.NO_COLOR === undefined && env.TERM !== "dumb";
  const now = options.now ?? (() => new Date());
  const word = options.word ?? ((text: string) => text);
  let statusText = "";

  const paint = (code: number, text: string) => (colour ? `\u001b[${code}m${text}\u001b[0m` : text);
  const fit = (text: string) => {
    const width = Math.max(20, (stream.columns ?? 100) - 1);
    return [...text].length > width ? `${[...text].slice(0, width - 1).join("")}…` : text;
  };
  // Timestamps are UTC, and say so: a log read in another time zone is not an hour off.
  const stamp = () => (tty ? "" : `${now().toISOString().slice(0, 19).replace("T", " ")} UTC `);
  const write = (prefix: string, message: string) => {
    const line = `${stamp()}${prefix}${redactSecrets(word(message), secrets)}`;
    if (tty && statusText) stream.write(`${CLEAR_LINE}${line}\n${fit(statusText)}`);
    else stream.write(`${line}\n`);
  };
  return {
    live: tty,
    redact(secret: string) {
      if (secret) secrets.push(secret);
    },
    info: (m) => {
      if (!options.quiet) write("", m);
    },
    row: (m) => {
      if (options.verbose && !options.quiet) write("  ", m);
    },
    notice: (m) => write("  ", m),
    warn: (m) => write(paint(33, "warning: "), m),
    error: (m) => write(paint(31, "error: "), m),
    summary: (m) => write("", m),
    status: (text) => {
      if (options.quiet) return;
      const clean = redactSecrets(word(text), secrets);
      if (!tty) {
        write("", clean);
        return;
      }
      statusText = clean;
      stream.write(`${CLEAR_LINE}${fit(clean)}`);
    },
    close: () => {
      if (tty && statusText) stream.write(CLEAR_LINE);
      statusText = "";
    },
  };
}

export const silentLogger: Logger = {
  live: false,
  redact() {},
  info() {},
  row() {},
  notice() {},
  warn() {},
  error() {},
  summary() {},
  status() {},
  close() {},
};

/**
 * `inner`, with every line redacted for `secrets` before it gets there (a caller's own logger may
 * not redact). The list is shared and grows: `redact` adds to it and tells `inner` too.
 */
export function redactingLogger(inner: Logger, secrets: string[]): Logger {
  const clean = (m: string) => redactSecrets(m, secrets);
  return {
    get live() {
      return inner.live;
    },
    redact(secret) {
      if (secret && !secrets.includes(secret)) secrets.push(secret);
      inner.redact(secret);
    },
    info: (m) => inner.info(clean(m)),
    row: (m) => inner.row(clean(m)),
    notice: (m) => inner.notice(clean(m)),
    warn: (m) => inner.warn(clean(m)),
    error: (m) => inner.error(clean(m)),
    summary: (m) => inner.summary(clean(m)),
    status: (m) => inner.status(clean(m)),
    close: () => inner.close(),
  };
}
