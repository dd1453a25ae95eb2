#!/usr/bin/env node
import { hideBin } from "yargs/helpers";
import { loadEnv } from "./load-env.js";
import { main } from "./main.js";
import { reportError } from "./report-error.js";

// The process entry: the only place that touches process.argv, process.env and the exit code.
const argv = hideBin(process.argv);
const env = loadEnv(process.cwd(), process.env);
main(argv, { env }).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.exitCode = reportError(error, env, argv.includes("--json"));
  },
);
