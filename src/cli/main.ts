import yargs, { type Argv } from "yargs";
import { UserError } from "../util/errors.js";
import type { CommandContext } from "./command.js";
import { exportCommandSpec } from "./commands/export.js";
import { reportCommandSpec } from "./commands/report.js";
import { reviewCommandSpec } from "./commands/review.js";
import { runCommandSpec } from "./commands/run.js";
import { simulateCommandSpec } from "./commands/simulate.js";
import { statusCommandSpec } from "./commands/status.js";

/** A command as main sees it: each spec checks its own arguments' types. */
interface AnySpec {
  command: string;
  describe: string;
  builder: (y: Argv) => Argv<unknown>;
  handler: (args: never, ctx: CommandContext) => Promise<number>;
}

const COMMANDS: readonly AnySpec[] = [
  runCommandSpec,
  statusCommandSpec,
  exportCommandSpec,
  reportCommandSpec,
  reviewCommandSpec,
  simulateCommandSpec,
];

/**
 * Parses argv and runs one command; resolves to its exit code. Reads no environment of its own:
 * the caller passes it (with `.env` underneath). Errors are thrown for the entry point to report.
 */
export async function main(argv: string[], given: CommandContext): Promise<number> {
  const context: CommandContext = { ...given, argv: given.argv ?? argv };
  let exitCode = 0;
  // yargs renders each command's help as it runs it (to cache it), whether shown or not: wrapping
  // that text to the terminal costs tens of milliseconds a command. It is wrapped only when shown.
  const showsHelp = argv.length === 0 || argv.some((a) => a === "--help" || a === "-h");
  let parser = yargs(argv)
    .scriptName("vidbatch")
    .usage(
      "$0 <command> [options]\n\nTurn a CSV of prompts into AI-generated videos, resumably and with every cent tracked.",
    );
  if (!showsHelp) parser = parser.wrap(null);
  for (const spec of COMMANDS) {
    parser = parser.command(spec.command, spec.describe, spec.builder, async (args) => {
      exitCode = await spec.handler(args as never, context);
    });
  }
  parser = parser
    .example("$0 run prompts.csv --simulate", "try a batch on the built-in simulator: no key, no cost")
    .example("$0 run prompts.csv --dry-run", "validate every row and print the price table")
    .example("$0 run prompts.csv --max-cost 50", "run; stop before spend passes $50; run again to resume")
    .example("$0 status prompts.csv --failed", "where the batch stands, and which rows failed")
    .example("$0 report prompts.csv", "write the HTML gallery of the batch")
    .epilogue(
      "Keys come from the environment or a .env file: KIE_API_KEY, KLING_ACCESS_KEY and KLING_SECRET_KEY, WIREFLOW_API_KEY.",
    );
  if (argv.length === 0) {
    // No command: the help, not an error message.
    parser.showHelp((text) => (given.stderr ?? process.stderr).write(`${text}\n`));
    return 2;
  }
  await parser
    .demandCommand(1, "Name a command: run, status, export, report or simulate")
    .strict()
    .help()
    .version()
    .exitProcess(false)
    .fail((message, error) => {
      // yargs reports its own parsing failures here (wrapped as YError): usage errors.
      if (error && error.name !== "YError") throw error; // a command's own error, user-facing or a bug
      const text = String(error?.message ?? message).replace(/\.+$/, "");
      throw new UserError("USAGE", `${text}. See "vidbatch --help".`);
    })
    // With a callback yargs hands over what it would print (--help, --version) instead of printing it.
    .parseAsync(argv, {}, (_error, _args, output) => {
      if (output) (given.stdout ?? process.stdout).write(`${output}\n`);
    });
  return exitCode;
}
