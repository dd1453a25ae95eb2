import type { EngineTimings } from "../batch/engine-settings.js";
import type { CommandContext } from "./command.js";
import { loadEnv } from "./load-env.js";
import { main } from "./main.js";
import { reportError } from "./report-error.js";

/** Where a command runs: its folder, its environment (before `.env`) and its output streams. */
export interface CliSetting {
  cwd: string;
  env: NodeJS.ProcessEnv;
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream & { isTTY?: boolean; columns?: number };
  /** Shortened engine waits (see CommandContext.timings). */
  timings?: Partial<EngineTimings>;
}

/**
 * One `vidbatch <argv…>` from start to exit code: `.env` read from the folder, the command run,
 * any error reported (redacted, with --json as JSON on stdout too). Touches no process global, so
 * it runs the same in its own process (bin.ts) and inside another (the tests).
 */
export async function runCli(argv: string[], setting: CliSetting): Promise<number> {
  const env = loadEnv(setting.cwd, setting.env);
  const context: CommandContext = {
    env,
    argv,
    cwd: setting.cwd,
    stdout: setting.stdout,
    stderr: setting.stderr,
    ...(setting.timings ? { timings: setting.timings } : {}),
  };
  try {
    return await main(argv, context);
  } catch (error) {
    return reportError(error, env, argv.includes("--json"), setting);
  }
}
