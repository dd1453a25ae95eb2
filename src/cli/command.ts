import type { Argv } from "yargs";
import type { EngineTimings } from "../batch/engine-settings.js";

/** What every command handler gets besides its own arguments. */
export interface CommandContext {
  /** The environment with `.env` underneath it: the only source of secrets. */
  env: Record<string, string | undefined>;
  /** The command line as given (after `vidbatch`), for the "next command" a run suggests. */
  argv?: readonly string[];
  /** The folder relative paths are resolved against (default: the process's current folder). */
  cwd?: string;
  /** Where output goes (default: the process's stdout and stderr). */
  stdout?: NodeJS.WritableStream;
  stderr?: NodeJS.WritableStream & { isTTY?: boolean; columns?: number };
  /**
   * The engine's waits, shortened: for a program that embeds the CLI (the tests do, so that retry
   * back-offs take milliseconds). No flag sets them; a user's run keeps the documented values.
   */
  timings?: Partial<EngineTimings>;
}

/** A command: its yargs options beside its handler, which resolves to the exit code. */
export interface CommandSpec<A> {
  command: string;
  describe: string;
  builder: (y: Argv) => Argv<A>;
  handler: (args: A, context: CommandContext) => Promise<number>;
}
