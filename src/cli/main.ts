#!/usr/bin/env node
import yargs, { type Argv } from "yargs";
import { hideBin } from "yargs/helpers";
import type { AspectRatio, Duration, Mode } from "../input/job-spec.js";
import { UserError } from "../util/errors.js";
import { redactSecrets } from "../util/redact.js";
import { loadEnv } from "./load-env.js";
import { PROVIDERS } from "./open-provider.js";

const SECRET_NAMES = ["KIE_API_KEY", "KLING_ACCESS_KEY", "KLING_SECRET_KEY", "WIREFLOW_API_KEY"];

function ledgerOptions(y: Argv) {
  return y
    .positional("input", {
      type: "string",
      describe: "the input CSV (locates the ledger and results beside it)",
    })
    .option("ledger", { type: "string", describe: "the ledger file (default <input>.ledger.db)" });
}

/** status/export/report: the input or --ledger (and --out) as given, undefined ones left out. */
function ledgerTarget(args: { input?: string; ledger?: string; out?: string }) {
  return {
    ...(args.input ? { input: args.input } : {}),
    ...(args.ledger ? { ledger: args.ledger } : {}),
    ...(args.out ? { out: args.out } : {}),
  };
}

function positiveNumber(name: string, min = 0) {
  return (value: unknown) => {
    if (value === undefined) return value;
    const n = Number(value);
    if (!Number.isFinite(n) || n <= min)
      throw new UserError(`--${name} must be a number greater than ${min}`, 2);
    return n;
  };
}

/**
 * The only module that reads argv and the environment and decides the exit code. Each command is a
 * plain async function taking a resolved options object, loaded only when it runs.
 */
export async function main(argv: string[]): Promise<number> {
  const env = loadEnv(process.cwd(), process.env);
  let exitCode = 0;
  const parser = yargs(argv)
    .scriptName("vidbatch")
    .usage(
      "$0 <command> [options]\n\nTurn a CSV of prompts into AI-generated videos, resumably and with every cent tracked.",
    )
    .command(
      "run <input>",
      "submit, poll, download and write results; re-running resumes from the ledger",
      (y) =>
        y
          .positional("input", {
            type: "string",
            demandOption: true,
            describe: "CSV with a prompt column (and optionally image_url, id, duration, …)",
          })
          .option("provider", { choices: [...PROVIDERS], default: "kie", describe: "video provider" })
          .option("model", {
            type: "string",
            default: "kling-2.6",
            describe: "model for rows without a model column",
          })
          .option("concurrency", {
            type: "number",
            default: 5,
            coerce: positiveNumber("concurrency"),
            describe: "at most N tasks in flight at the provider",
          })
          .option("out", { type: "string", describe: "results CSV (default <input>.results.csv)" })
          .option("ledger", { type: "string", describe: "ledger file (default <input>.ledger.db)" })
          .option("videos-dir", { type: "string", describe: "where videos go (default <input>-videos/)" })
          .option("base-url", { type: "string", describe: "provider API base URL (proxies, the simulator)" })
          .option("workflow", {
            type: "string",
            describe: "wireflow: the workflow each row runs (default with --simulate: wf-kling26-demo)",
          })
          .option("map", {
            type: "string",
            array: true,
            default: [] as string[],
            describe:
              'wireflow: fill a workflow input from a column, "<nodeId or label>=<column>" (repeatable)',
          })
          .option("simulate", {
            type: "boolean",
            default: false,
            describe: "run against the built-in simulator: no key, no cost, no network",
          })
          .option("dry-run", {
            type: "boolean",
            default: false,
            describe: "validate every row and print the cost estimate; submit nothing",
          })
          .option("max-cost", {
            type: "number",
            coerce: positiveNumber("max-cost", -1e-9),
            describe: "never let spend (estimated until known) exceed this many USD",
          })
          .option("poll-interval", {
            type: "number",
            default: 3,
            coerce: positiveNumber("poll-interval"),
            describe: "shortest gap between two status checks of a task, seconds",
          })
          .option("duration", {
            choices: [5, 10],
            default: 5,
            describe: "seconds, for rows without a duration",
          })
          .option("aspect-ratio", {
            choices: ["16:9", "9:16", "1:1"],
            default: "16:9",
            describe: "for text-to-video rows without one",
          })
          .option("sound", {
            type: "boolean",
            default: false,
            describe: "generate sound, for rows without a sound column",
          })
          .option("mode", { choices: ["std", "pro"], describe: "quality mode where the provider has one" })
          .option("retry-failed", {
            type: "boolean",
            default: false,
            describe: "resubmit rows whose generation failed (bounded by --max-attempts)",
          })
          .option("max-attempts", {
            type: "number",
            default: 3,
            coerce: positiveNumber("max-attempts"),
            describe: "tasks per row at most, with --retry-failed",
          })
          .option("resubmit-unknown", {
            type: "boolean",
            default: false,
            describe: "resubmit rows whose earlier submission has an unknown outcome (may pay twice)",
          })
          .option("task-timeout", {
            type: "number",
            default: 60,
            coerce: positiveNumber("task-timeout"),
            describe: "minutes to follow one task in this run before leaving it for the next",
          })
          .option("download-concurrency", {
            type: "number",
            default: 4,
            coerce: positiveNumber("download-concurrency"),
            describe: "downloads at once",
          })
          .option("quiet", { type: "boolean", default: false, describe: "no per-row lines on stderr" })
          .option("json", {
            type: "boolean",
            default: false,
            describe: "final summary as one JSON object on stdout",
          }),
      async (args) => {
        const { runCommand } = await import("./run-command.js");
        exitCode = await runCommand(
          {
            input: args.input as string,
            provider: args.provider,
            model: args.model,
            concurrency: Math.floor(args.concurrency as number),
            ...(args.out ? { out: args.out } : {}),
            ...(args.ledger ? { ledger: args.ledger } : {}),
            ...(args["videos-dir"] ? { videosDir: args["videos-dir"] } : {}),
            ...(args["base-url"] ? { baseUrl: args["base-url"] } : {}),
            ...(args.workflow ? { workflow: args.workflow } : {}),
            map: (args.map as string[]).map(String),
            simulate: args.simulate,
            dryRun: args["dry-run"],
            ...(args["max-cost"] !== undefined ? { maxCost: args["max-cost"] as number } : {}),
            pollInterval: args["poll-interval"] as number,
            duration: Number(args.duration) as Duration,
            aspectRatio: args["aspect-ratio"] as AspectRatio,
            sound: args.sound,
            ...(args.mode ? { mode: args.mode as Mode } : {}),
            retryFailed: args["retry-failed"],
            maxAttempts: Math.floor(args["max-attempts"] as number),
            resubmitUnknown: args["resubmit-unknown"],
            taskTimeout: args["task-timeout"] as number,
            downloadConcurrency: Math.floor(args["download-concurrency"] as number),
            quiet: args.quiet,
            json: args.json,
          },
          env,
        );
      },
    )
    .command(
      "status [input]",
      "counts by status, spend so far, estimate of what remains",
      (y) => ledgerOptions(y).option("json", { type: "boolean", default: false }),
      async (args) => {
        const { statusCommand } = await import("./status-command.js");
        exitCode = statusCommand({ ...ledgerTarget(args), json: args.json });
      },
    )
    .command(
      "export [input]",
      "rewrite the results CSV from the ledger",
      (y) =>
        ledgerOptions(y).option("out", {
          type: "string",
          describe: "results CSV (default <input>.results.csv)",
        }),
      async (args) => {
        const { exportCommand } = await import("./export-command.js");
        exitCode = await exportCommand(ledgerTarget(args));
      },
    )
    .command(
      "report [input]",
      "static HTML gallery of the batch (videos, prompts, status, cost)",
      (y) =>
        ledgerOptions(y).option("out", {
          type: "string",
          describe: "HTML file (default <input>.report.html)",
        }),
      async (args) => {
        const { reportCommand } = await import("./report-command.js");
        exitCode = await reportCommand(ledgerTarget(args));
      },
    )
    .command(
      "simulate",
      "serve a local simulator of the provider APIs on 127.0.0.1",
      (y) =>
        y
          .option("port", { type: "number", default: 8787, describe: "port (0 picks a free one)" })
          .option("api-key", { type: "string", describe: "accept only this key (default: any)" })
          .option("gen-time", { type: "number", default: 5, describe: "mean generation time, seconds" })
          .option("jitter", { type: "number", default: 0.3, describe: "± fraction of the generation time" })
          .option("fail-rate", {
            type: "number",
            default: 0,
            describe: "share of tasks whose generation fails",
          })
          .option("credits", { type: "number", default: 1_000_000, describe: "account balance in credits" })
          .option("error-style", {
            choices: ["http", "body", "mixed"],
            default: "mixed",
            describe: "errors as HTTP status, as HTTP 200 + body code, or both",
          })
          .option("fault-429", { type: "number", default: 0, describe: "share of creates answered 429" })
          .option("fault-5xx", {
            type: "number",
            default: 0,
            describe: "share of creates and status checks answered 500",
          })
          .option("fault-drop", {
            type: "number",
            default: 0,
            describe: "share of creates whose connection drops after the task is made",
          })
          .option("url-ttl", {
            type: "number",
            default: 0,
            describe: "seconds until result URLs expire (0 = never)",
          })
          .option("seed", { type: "number", default: 1 }),
      async (args) => {
        const { simulateCommand } = await import("./simulate-command.js");
        exitCode = await simulateCommand({
          port: args.port,
          patch: {
            ...(args["api-key"] ? { apiKey: args["api-key"] } : {}),
            genTimeMs: args["gen-time"] * 1000,
            genJitter: args.jitter,
            failRate: args["fail-rate"],
            credits: args.credits,
            errorStyle: args["error-style"] as "http" | "body" | "mixed",
            resultUrlTtlMs: args["url-ttl"] * 1000,
            seed: args.seed,
            faults: {
              create429Rate: args["fault-429"],
              create5xxRate: args["fault-5xx"],
              status5xxRate: args["fault-5xx"],
              createDropRate: args["fault-drop"],
            },
          },
        });
      },
    )
    .demandCommand(1, "Name a command: run, status, export, report or simulate.")
    .strict()
    .help()
    .version()
    .exitProcess(false)
    .fail((message, error) => {
      // yargs reports its own parsing and coerce failures here (wrapped as YError): usage errors.
      if (error && error.name !== "YError") throw error; // a command's own error, user-facing or a bug
      throw new UserError(`${error?.message ?? message}. See "vidbatch --help".`, 2, "USAGE");
    });
  await parser.parseAsync();
  return exitCode;
}

function report(error: unknown, env: Record<string, string | undefined>): number {
  const secrets = SECRET_NAMES.map((n) => env[n]).filter((s): s is string => !!s);
  if (error instanceof UserError) {
    process.stderr.write(`vidbatch: ${redactSecrets(error.message, secrets)}\n`);
    return error.exitCode;
  }
  const text = error instanceof Error ? (error.stack ?? error.message) : String(error);
  process.stderr.write(
    `vidbatch: internal error (this is a bug; the ledger is consistent, so the same command resumes):\n${redactSecrets(text, secrets)}\n`,
  );
  return 70;
}

main(hideBin(process.argv)).then(
  (code) => {
    process.exitCode = code;
  },
  (error) => {
    process.exitCode = report(error, loadEnv(process.cwd(), process.env));
  },
);
