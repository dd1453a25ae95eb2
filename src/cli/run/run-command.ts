import type { RunEvent } from "../../run/run-io.js";
import { runVideoBatch } from "../../run/run-video-batch.js";
import { secretsIn } from "../../run/secrets.js";
import { createLogger, type Logger } from "../../util/logger.js";
import type { CommandContext } from "../command.js";
import { wordFlags } from "../flag-words.js";
import { formatUsd } from "../format.js";
import type { RunOptions } from "../run-options.js";
import { installStopHandlers } from "../signals.js";
import { dryRun } from "./dry-run.js";
import { rerunArgs } from "./next-steps.js";
import { createProgressLine } from "./progress-line.js";
import { logPlan, logSelection, reportRunEnd } from "./run-summary.js";
import { settingsFrom } from "./to-settings.js";

const PROGRESS_EVERY_MS = 15_000;
const LIVE_EVERY_MS = 400;

/** What --redo does, or that rows marked Redo wait for it: each is a new, paid task. */
function logRedo(log: Logger, redo: { rows: number; usd: number; submitted: boolean }): void {
  if (redo.submitted)
    log.info(
      redo.rows > 0
        ? `--redo: ${redo.rows} row(s) marked Redo get a new attempt: new, paid tasks, estimated ${formatUsd(redo.usd)} (their earlier attempts and videos are kept)`
        : "--redo: no row is marked Redo with a result to replace (mark rows in `vidbatch review`)",
    );
  else if (redo.rows > 0)
    log.info(
      `${redo.rows} row(s) are marked Redo in review: add --redo to submit a new attempt of each (estimated ${formatUsd(redo.usd)})`,
    );
}

/**
 * `vidbatch run`: the flags become the library's settings once; the run itself is runVideoBatch.
 * What stays here is the command line's own: the webhook-key flags, signals, the live line and the
 * words of the summary, and the exit code.
 */
export async function runCommand(options: RunOptions, context: CommandContext): Promise<number> {
  // Webhook keys given as flags work, but the environment is where secrets belong.
  const flagKeys = {
    ...(options.kieWebhookKey ? { KIE_WEBHOOK_KEY: options.kieWebhookKey } : {}),
    ...(options.klingWebhookSecret ? { KLING_WEBHOOK_SECRET: options.klingWebhookSecret } : {}),
  };
  const env = { ...context.env, ...flagKeys };
  const log = createLogger({
    ...(context.stderr ? { stream: context.stderr } : {}),
    secrets: secretsIn(env),
    quiet: options.quiet,
    verbose: options.verbose,
    env,
    word: wordFlags,
  });
  for (const name of Object.keys(flagKeys))
    log.warn(
      `a webhook key on the command line is visible to other users of this machine (ps, shell history): prefer ${name} in the environment or .env`,
    );
  const settings = {
    ...settingsFrom(options, env),
    ...(context.timings ? { timings: context.timings } : {}),
  };
  const io = {
    env,
    log,
    wordSettings: wordFlags,
    ...(context.cwd ? { cwd: context.cwd } : {}),
    rerun: { args: rerunArgs(context.argv ?? []), cwd: context.cwd ?? process.cwd() },
  };
  if (options.dryRun) return dryRun(options, settings, io, context);

  const startedAt = Date.now();
  // First Ctrl-C: a graceful stop. Second: leave now (every ledger write so far is committed).
  const stop = installStopHandlers(log, (code) => process.exit(code));
  try {
    let line: ReturnType<typeof createProgressLine> | undefined;
    const report = await runVideoBatch(settings, {
      ...io,
      signal: stop.signal,
      // A terminal gets the live line a few times a second; a log file a line at a steady pace.
      progressEveryMs: log.live ? LIVE_EVERY_MS : PROGRESS_EVERY_MS,
      onEvent: (event: RunEvent) => {
        if (event.type === "planned") {
          if (event.simulatorUrl) log.info(`Simulator: ${event.simulatorUrl} (no key, no cost, no network)`);
          logPlan(log, event.plan);
          if (event.selected) logSelection(log, options, event.plan.byStatus.pending ?? 0, event.selected);
          if (event.requeued > 0)
            log.info(
              `--retry-failed: ${event.requeued} failed row(s) will be submitted again (at most ${options.maxAttempts} attempts each)`,
            );
          logRedo(log, event.redo);
          // The width of the terminal the line is drawn on (80 when it is not told).
          const columns = (context.stderr ?? process.stderr) as { columns?: number };
          line = createProgressLine(
            startedAt,
            event.plan.byStatus,
            Math.max(40, (columns.columns ?? 80) - 1),
          );
        } else if (event.type === "progress" && line) {
          log.status(line(event));
        }
      },
    });
    const w = report.resultsWrites;
    log.row(
      `results CSV written ${w.writes} time(s) this run, the last in ${Math.round(w.lastMs)} ms (refreshed at most every ${Math.round(w.gapMs / 1000)} s)`,
    );
    reportRunEnd(log, report, { argv: context.argv ?? [], json: options.json, context });
    return report.exitCode;
  } finally {
    stop.dispose();
  }
}
