import type { Argv } from "yargs";
import yargs from "yargs";
import { ASPECT_RATIOS, DURATIONS, MODES } from "../../job/job-spec.js";
import { PROVIDERS } from "../../providers/provider-names.js";
import { WIREFLOW_PLAN_NAMES } from "../../providers/wireflow/wireflow-plans.js";
import { UserError } from "../../util/errors.js";
import type { CommandContext } from "../command.js";
import {
  DEFAULT_RUN_OPTIONS as D,
  type RunFlags,
  type RunOptions,
  resolveRunOptions,
} from "../run-options.js";

/**
 * `vidbatch run`'s flags. None has a yargs default: a flag not given stays undefined, and
 * resolveRunOptions fills it from DEFAULT_RUN_OPTIONS (shown here as the help's default).
 */
export function runOptions(y: Argv) {
  const shown = (value: unknown) => ({ defaultDescription: JSON.stringify(value) });
  return y
    .positional("input", {
      type: "string",
      demandOption: true,
      describe:
        "CSV or .xlsx with a prompt column (and optionally image_url, id, duration, model, …), or an https:// URL of a CSV or a Google Sheets link",
    })
    .example("$0 run prompts.csv --simulate", "the whole batch on the built-in simulator: no key, no cost")
    .example("$0 run prompts.csv --dry-run", "validate and price every row; needs no key on KIE or Kling")
    .example(
      "$0 run prompts.csv --limit 10",
      "a trial: the first 10 pending rows; run again without --limit for the rest",
    )
    .example("$0 run prompts.csv --rows 5-20,31 --retry-failed", "only these input lines, failed ones again")
    .example(
      "$0 run book.xlsx --sheet March --max-cost 50",
      "a workbook's sheet, never spending more than $50",
    )
    .example(
      "$0 run 'https://docs.google.com/spreadsheets/d/<id>/edit#gid=0'",
      "a shared Google Sheet; ledger and results go to the current folder",
    )
    .example("$0 run prompts.csv --map prompt=Script,image_url='Frame URL'", "columns named differently")
    .example("$0 run shots.csv --provider kling --model kling-v2-1-master", "Kling's official API")
    .example(
      "$0 run prompts.csv --callback-url https://abc.trycloudflare.com --listen 8787",
      "completion callbacks through a tunnel to port 8787: far fewer status checks",
    )
    .option("provider", { choices: [...PROVIDERS], ...shown(D.provider), describe: "video provider" })
    .option("model", { type: "string", ...shown(D.model), describe: "model for rows without a model column" })
    .option("concurrency", {
      type: "number",
      ...shown(D.concurrency),
      describe: "at most N tasks in flight at the provider",
    })
    .option("out", { type: "string", describe: "results CSV (default <input>.results.csv)" })
    .option("ledger", { type: "string", describe: "ledger file (default <input>.ledger.db)" })
    .option("videos-dir", { type: "string", describe: "where videos go (default <input>-videos/)" })
    .option("base-url", { type: "string", describe: "provider API base URL (proxies, the simulator)" })
    .option("upload-base-url", {
      type: "string",
      describe:
        "where local frames are uploaded (default KIE's https://kieai.redpandaai.co, Wireflow's API; the --base-url when given)",
    })
    .option("workflow", {
      type: "string",
      describe: "wireflow: the workflow each row runs (default with --simulate: wf-kling26-demo)",
    })
    .option("map", {
      type: "string",
      array: true,
      describe:
        'read a field from a column whose header differs, e.g. --map prompt=Script,image_url="Frame URL" (repeatable); on wireflow: "<input node id or label>=<column>"',
    })
    .option("simulate", {
      type: "boolean",
      describe: "run against the built-in simulator: no key, no cost, no network",
    })
    .option("dry-run", {
      type: "boolean",
      describe: "validate every row and print the cost estimate; submit nothing",
    })
    .option("max-cost", {
      type: "number",
      describe:
        "never let spend (estimated until known) exceed this many USD; rows of unknown price are not run",
    })
    .option("max-credits", {
      type: "number",
      describe:
        "never let spend in the provider's own unit (KIE credits, Kling units, Wireflow credits) exceed this; the budget for Wireflow, whose credits have no documented USD price",
    })
    .option("allow-unknown-price", {
      type: "boolean",
      describe: "with --max-cost: run rows whose price is not documented too (they count $0 until charged)",
    })
    .option("poll-interval", {
      type: "number",
      ...shown(D.pollInterval),
      describe: "shortest gap between two status checks of a task, seconds",
    })
    .option("duration", {
      type: "number",
      choices: [...DURATIONS],
      ...shown(D.duration),
      describe: "seconds, for rows without a duration",
    })
    .option("aspect-ratio", {
      choices: [...ASPECT_RATIOS],
      ...shown(D.aspectRatio),
      describe: "for text-to-video rows without one",
    })
    .option("sound", { type: "boolean", describe: "generate sound, for rows without a sound column" })
    .option("mode", { choices: [...MODES], describe: "quality mode where the provider has one" })
    .option("retry-failed", {
      type: "boolean",
      describe: "resubmit rows whose generation failed (bounded by --max-attempts)",
    })
    .option("redo", {
      type: "boolean",
      describe:
        "submit a new, paid attempt for each row marked Redo in `vidbatch review` (the earlier attempt and its video are kept)",
    })
    .option("max-attempts", {
      type: "number",
      ...shown(D.maxAttempts),
      describe: "tasks per row at most, with --retry-failed",
    })
    .option("halt-on-failures", {
      type: "string",
      describe:
        "stop submitting when more than this share of the run's finished rows failed, e.g. 10% (finish what runs; exit 3, naming the commonest error)",
    })
    .option("halt-min-rows", {
      type: "number",
      describe: "with --halt-on-failures: rows that must finish before the share is judged (default 10)",
    })
    .option("resubmit-unknown", {
      type: "boolean",
      describe: "resubmit rows whose earlier submission has an unknown outcome (may pay twice)",
    })
    .option("task-timeout", {
      type: "number",
      ...shown(D.taskTimeout),
      describe: "minutes to follow one task in this run before leaving it for the next",
    })
    .option("download-concurrency", {
      type: "number",
      ...shown(D.downloadConcurrency),
      describe: "downloads at once",
    })
    .option("download-stall", {
      type: "number",
      ...shown(D.downloadStall),
      describe: "seconds without a byte before a download is given up (the next try resumes it)",
    })
    .option("max-video-mb", {
      type: "number",
      ...shown(D.maxVideoMb),
      describe: "largest video accepted, MiB (a larger download is cut and not retried)",
    })
    .option("allow-insecure-http", {
      type: "boolean",
      describe: "allow a --base-url that sends the key over plain http to another machine",
    })
    .option("submit-rate", {
      type: "string",
      describe: "new tasks allowed per window, e.g. 20/10s (default: the provider's documented limit)",
    })
    .option("status-rate", {
      type: "string",
      describe: "status checks allowed per window, e.g. 10/s (default: the provider's documented limit)",
    })
    .option("sheet", {
      type: "string",
      describe: "the sheet of an .xlsx workbook to read (default: the first)",
    })
    .option("callback-url", {
      type: "string",
      describe:
        "public URL that reaches --listen (e.g. a tunnel): KIE and Kling call it when a task ends, so tasks are not polled (a secret path per batch is added)",
    })
    .option("listen", {
      type: "string",
      describe:
        "[HOST:]PORT where this run receives callbacks (host default 127.0.0.1; alone: the callback URL is http://HOST:PORT)",
    })
    .option("callback-poll", {
      type: "number",
      ...shown(D.callbackPoll),
      describe:
        "with callbacks: seconds between safety-net status checks of a task whose callback has not come",
    })
    .option("kie-webhook-key", {
      type: "string",
      describe:
        "KIE's webhook HMAC key: signed callbacks are trusted without a status call (better: KIE_WEBHOOK_KEY in the environment or .env)",
    })
    .option("kling-webhook-secret", {
      type: "string",
      describe:
        "Kling's webhook secret (whsec_…) for Standard-Webhooks signatures (better: KLING_WEBHOOK_SECRET in the environment or .env)",
    })
    .option("limit", {
      type: "number",
      describe: "submit at most N pending rows this run, in input order (a trial run); the rest stay pending",
    })
    .option("rows", {
      type: "string",
      describe:
        "submit only the pending rows on these input lines, e.g. 5-20,31 (line numbers as in messages and the report: the header is line 1)",
    })
    .option("plan", {
      choices: WIREFLOW_PLAN_NAMES,
      describe:
        "wireflow: the key's plan (requests a minute, executions a day); default: read from the API's X-RateLimit-Limit",
    })
    .option("quiet", {
      type: "boolean",
      describe: "only what needs attention (failures, warnings, errors) and the final summary",
    })
    .option("verbose", {
      type: "boolean",
      describe: "a line per row event, not only those that need attention",
    })
    .option("report", {
      type: "boolean",
      ...shown(D.report),
      describe: "write the HTML report (<input>.report.html) at the end of every run; --no-report to skip",
    })
    .option("json", { type: "boolean", describe: "final summary as one JSON object on stdout" });
}

type RunArgs = Awaited<ReturnType<ReturnType<typeof runOptions>["parseAsync"]>>;

/**
 * yargs' parsed arguments → resolved options. yargs gives every flag its camelCase name too
 * (`--videos-dir` → `videosDir`), which is the option's own name, so nothing is listed again here.
 */
export function runOptionsFromArgs(args: RunArgs): RunOptions {
  return resolveRunOptions(args as RunFlags);
}

/** The options `vidbatch run <argv…>` would run with (the table test of argv → options uses this). */
export function parseRunArgv(argv: readonly string[]): RunOptions {
  let parsed: RunArgs | undefined;
  yargs(["run", ...argv])
    .command("run <input>", "", runOptions, (args) => {
      parsed = args as unknown as RunArgs;
    })
    .strict()
    .exitProcess(false)
    .fail((message, error) => {
      throw new UserError("USAGE", error?.message ?? message);
    })
    .parseSync();
  if (!parsed) throw new UserError("USAGE", "not a run command");
  return runOptionsFromArgs(parsed);
}

export const runCommandSpec = {
  command: "run <input>",
  describe: "submit, poll, download and write results; re-running resumes from the ledger",
  builder: runOptions,
  async handler(args: RunArgs, context: CommandContext): Promise<number> {
    const options = runOptionsFromArgs(args);
    const { runCommand } = await import("../run/run-command.js");
    return runCommand(options, context);
  },
};
