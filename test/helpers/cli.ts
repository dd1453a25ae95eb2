import { type ChildProcess, spawn } from "node:child_process";
import { Writable } from "node:stream";
import { fileURLToPath } from "node:url";
import { runCli as runCliInProcess } from "../../src/cli/cli.js";
import { waitFor } from "./fixtures.js";

/**
 * Back-offs a tenth of the documented ones: a test of retries waits milliseconds, not seconds. The
 * waits that decide money (the not-found grace and windows) keep their documented values.
 */
export const TEST_TIMINGS = { retryBaseMs: 100, retryCapMs: 3000, lostAnswerDelaysMs: [100, 300, 800] };

/** The compiled CLI, run exactly as a user runs it. */
export const CLI = fileURLToPath(new URL("../../src/cli/bin.js", import.meta.url));

export interface CliResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

export interface CliOptions {
  cwd: string;
  env?: Record<string, string>;
}

/** Environment for the child: PATH and HOME only, plus what the test gives (no ambient keys). */
function childEnv(extra: Record<string, string> = {}): Record<string, string> {
  return { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "/tmp", ...extra };
}

export function startCli(
  args: string[],
  options: CliOptions,
): { child: ChildProcess; done: Promise<CliResult> } {
  const child = spawn(process.execPath, [CLI, ...args], {
    cwd: options.cwd,
    env: childEnv(options.env),
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stdout = "";
  let stderr = "";
  child.stdout?.on("data", (d) => {
    stdout += d;
  });
  child.stderr?.on("data", (d) => {
    stderr += d;
  });
  const done = new Promise<CliResult>((resolve, reject) => {
    child.on("error", reject);
    child.on("close", (code, signal) => resolve({ code, signal, stdout, stderr }));
  });
  return { child, done };
}

/** The CLI as a child process, exactly as a user runs it: for what the process is the point of. */
export function spawnCli(args: string[], options: CliOptions): Promise<CliResult> {
  return startCli(args, options).done;
}

function collector(): { stream: Writable; text: () => string } {
  const chunks: string[] = [];
  const stream = new Writable({
    write(chunk, _encoding, done) {
      chunks.push(String(chunk));
      done();
    },
  });
  return { stream, text: () => chunks.join("") };
}

/**
 * The CLI run inside this process (the same entry bin.ts calls: `.env` from the folder, argv
 * parsed, errors reported), with the same environment a child would get: milliseconds instead of
 * a process start each. Signals, kill -9 and the terminal need a real process: startCli, spawnCli.
 */
export async function runCli(args: string[], options: CliOptions): Promise<CliResult> {
  const stdout = collector();
  const stderr = collector();
  const code = await runCliInProcess(args, {
    cwd: options.cwd,
    env: childEnv(options.env),
    stdout: stdout.stream,
    stderr: stderr.stream,
    timings: TEST_TIMINGS,
  });
  return { code, signal: null, stdout: stdout.text(), stderr: stderr.text() };
}

/** Waits until `check` holds, then kills the run with SIGKILL (no clean-up: a crash) and waits for it. */
export async function killWhen(
  run: { child: ChildProcess; done: Promise<CliResult> },
  check: () => boolean,
  what: string,
): Promise<CliResult> {
  await waitFor(check, what);
  run.child.kill("SIGKILL");
  return run.done;
}
