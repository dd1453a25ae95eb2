#!/usr/bin/env node
import { hideBin } from "yargs/helpers";
import { loadEnv } from "./load-env.js";
import { main } from "./main.js";
import { reportError } from "./report-error.js";

// The process entry: the only place that touches process.argv, process.env and the exit code.
const argv = hideBin(process.argv);
const env = loadEnv(process.cwd(), process.env);
// Until main settles the exit code says "internal error": if the process ever ran out of work with
// a command unfinished (a promise nothing resolves), it must not look like success.
process.exitCode = 70;
let settled = false;
process.on("exit", () => {
  if (!settled)
    process.stderr.write(
      "vidbatch [INTERNAL]: the command stopped before it finished (a bug); nothing after this point was done.\n",
    );
});
main(argv, { env, argv }).then(
  (code) => {
    settled = true;
    process.exitCode = code;
  },
  (error: unknown) => {
    settled = true;
    process.exitCode = reportError(error, env, argv.includes("--json"));
  },
);
