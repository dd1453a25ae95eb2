#!/usr/bin/env node
import { hideBin } from "yargs/helpers";
import { runCli } from "./cli.js";

// The process entry: the only place that touches process.argv, process.env and the exit code.
const argv = hideBin(process.argv);
// Until the command settles the exit code says "internal error": if the process ever ran out of
// work with a command unfinished (a promise nothing resolves), it must not look like success.
process.exitCode = 70;
let settled = false;
process.on("exit", () => {
  if (!settled)
    process.stderr.write(
      "vidbatch [INTERNAL]: the command stopped before it finished (a bug); nothing after this point was done.\n",
    );
});
void runCli(argv, {
  cwd: process.cwd(),
  env: process.env,
  stdout: process.stdout,
  stderr: process.stderr,
}).then((code) => {
  settled = true;
  process.exitCode = code;
});
