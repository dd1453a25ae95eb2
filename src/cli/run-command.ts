import { existsSync } from "node:fs";
import { relative } from "node:path";
import type Database from "better-sqlite3";
import type { StopReasonCode } from "../batch/batch-context.js";
import { type Plan, planRows } from "../batch/plan-rows.js";
import { runBatch } from "../batch/run-batch.js";
import type { AspectRatio, Duration, Mode } from "../input/job-spec.js";
import { ensureBatchId } from "../ledger/batch-meta.js";
import { createJobStore } from "../ledger/job-store.js";
import { openLedger } from "../ledger/open-ledger.js";
import { acquireRunLock, HEARTBEAT_EVERY_MS } from "../ledger/run-lock.js";
import { countByStatus, readRemainingEstimate, readSpend } from "../ledger/summary.js";
import type { Provider } from "../providers/provider.js";
import { isProviderError } from "../providers/provider-error.js";
import { type Simulator, startSimulator } from "../simulator/simulator.js";
import { SIM_WORKFLOWS } from "../simulator/wireflow-sim.js";
import { UserError } from "../util/errors.js";
import { createLogger, type Logger } from "../util/logger.js";
import { nowIso } from "../util/time.js";
import { formatCounts, formatDuration, formatUsd } from "./format.js";
import { openProvider } from "./open-provider.js";
import { defaultPaths } from "./paths.js";
import { createResultsRefresher } from "./results-refresher.js";
import { installStopHandlers } from "./signals.js";

export interface RunOptions {
  input: string;
  provider: string;
  model: string;
  concurrency: number;
  out?: string;
  ledger?: string;
  videosDir?: string;
  baseUrl?: string;
  /** Wireflow: the workflow each row runs, and `input=column` mappings. */
  workflow?: string;
  map: string[];
  simulate: boolean;
  dryRun: boolean;
  maxCost?: number;
  pollInterval: number;
  duration: Duration;
  aspectRatio: AspectRatio;
  sound: boolean;
  mode?: Mode;
  retryFailed: boolean;
  maxAttempts: number;
  resubmitUnknown: boolean;
  taskTimeout: number;
  downloadConcurrency: number;
  quiet: boolean;
  json: boolean;
}

const SIMULATED_KEY = "simulated-key-not-secret";
const SIMULATED_WIREFLOW_KEY = "sk-simulated-not-secret";

/** The environment with the simulator's own keys in place of real ones (which are never sent to it). */
function simulatedSecrets(env: Record<string, string | undefined>, simulator: Simulator) {
  const { kling } = simulator.options();
  return {
    ...env,
    KIE_API_KEY: SIMULATED_KEY,
    KLING_ACCESS_KEY: kling.accessKey,
    KLING_SECRET_KEY: kling.secretKey,
    WIREFLOW_API_KEY: SIMULATED_WIREFLOW_KEY,
  };
}

export async function runCommand(
  options: RunOptions,
  env: Record<string, string | undefined>,
): Promise<number> {
  const startedAt = Date.now();
  const paths = defaultPaths(options.input, options);
  let simulator: Simulator | undefined;
  let provider: Provider;
  if (options.simulate) {
    simulator = await startSimulator({ apiKey: SIMULATED_KEY, genTimeMs: 3000 });
    const workflow = options.workflow ?? SIM_WORKFLOWS[0]?.id;
    provider = openProvider(
      options.provider,
      simulatedSecrets(env, simulator),
      options.provider === "wireflow" ? `${simulator.url}/api/v1` : simulator.url,
      { ...(workflow ? { workflow } : {}), map: options.map },
    );
  } else {
    provider = openProvider(options.provider, env, options.baseUrl, {
      ...(options.workflow ? { workflow: options.workflow } : {}),
      map: options.map,
    });
  }
  const log = createLogger({ secrets: provider.secrets, quiet: options.quiet });
  if (provider.name !== "wireflow" && (options.workflow || options.map.length > 0))
    log.warn("--workflow and --map apply to --provider wireflow only; they are ignored");
  if (options.mode && provider.ignoredColumns.includes("mode"))
    log.warn(`--mode is not supported by ${provider.name} and is not sent`);
  try {
    await provider.prepare?.();
    if (options.dryRun) return await dryRun(options, provider, paths.ledger, log);
    return await realRun(options, provider, paths, log, startedAt, simulator);
  } finally {
    await simulator?.close();
  }
}

async function dryRun(
  options: RunOptions,
  provider: Provider,
  ledgerPath: string,
  log: Logger,
): Promise<number> {
  const db = existsSync(ledgerPath) ? openLedger(ledgerPath, { readonly: true }) : null;
  try {
    const plan = await planInput(options, provider, db, log, true);
    const summary = {
      dryRun: true,
      rows: plan.rows,
      invalid: plan.invalid,
      textToVideo: plan.textToVideo,
      imageToVideo: plan.imageToVideo,
      byStatus: plan.byStatus,
      toSubmit: plan.byStatus.pending ?? 0,
      estimatedCostUsd: round(plan.toSubmitUsd),
      spentUsd: db ? round(readSpend(db).totalUsd) : 0,
    };
    if (provider.describe) log.info(provider.describe());
    log.info(
      `Dry run on ${provider.name}: ${plan.rows} rows (${plan.textToVideo} text-to-video, ${plan.imageToVideo} image-to-video, ${plan.invalid} invalid). ` +
        `${summary.toSubmit} to submit, estimated ${formatUsd(plan.toSubmitUsd)}${db ? `; already in the ledger: ${formatCounts(plan.byStatus)}` : ""}. Nothing was submitted.`,
    );
    if (options.maxCost !== undefined && summary.spentUsd + plan.toSubmitUsd > options.maxCost) {
      log.warn(`--max-cost ${formatUsd(options.maxCost)} would stop the run before every row is submitted`);
    }
    if (options.json) process.stdout.write(`${JSON.stringify(summary)}\n`);
    return plan.invalid > 0 ? 1 : 0;
  } finally {
    db?.close();
  }
}

async function realRun(
  options: RunOptions,
  provider: Provider,
  paths: ReturnType<typeof defaultPaths>,
  log: Logger,
  startedAt: number,
  simulator: Simulator | undefined,
): Promise<number> {
  const db = openLedger(paths.ledger);
  let lock: ReturnType<typeof acquireRunLock> | undefined;
  let heartbeat: NodeJS.Timeout | undefined;
  let progress: NodeJS.Timeout | undefined;
  const stop = installStopHandlers(log, (code) => {
    // Second Ctrl-C: every ledger write so far is committed; leave now.
    lock?.release();
    process.exit(code);
  });
  try {
    lock = acquireRunLock(db, paths.ledger);
    heartbeat = setInterval(() => lock?.heartbeat(), HEARTBEAT_EVERY_MS);
    heartbeat.unref();
    if (simulator) log.info(`Simulator: ${simulator.url} (no key, no cost, no network)`);
    refuseForeignTasksInFlight(db, provider);

    const plan = await planInput(options, provider, db, log, false);
    logPlan(log, plan, provider);
    const batchId = ensureBatchId(db);
    const runId = Number(
      db
        .prepare("INSERT INTO runs (started_at, pid, provider, options) VALUES (?, ?, ?, ?)")
        .run(nowIso(), process.pid, provider.name, JSON.stringify({ ...options, input: options.input }))
        .lastInsertRowid,
    );

    const jobs = createJobStore(db);
    if (options.retryFailed) {
      const n = jobs.requeueFailed(options.maxAttempts);
      if (n > 0)
        log.info(
          `--retry-failed: ${n} failed row(s) will be submitted again (at most ${options.maxAttempts} attempts each)`,
        );
    }

    await preflight(provider, db, log, stop.signal);

    const results = createResultsRefresher(db, paths.out, provider.secrets, log);
    progress = setInterval(
      () =>
        log.info(
          `[${formatDuration(Date.now() - startedAt)}] ${formatCounts(countByStatus(db))} · spent ${formatUsd(readSpend(db).totalUsd)}`,
        ),
      15_000,
    );
    progress.unref();
    const outcome = await runBatch({
      db,
      provider,
      batchId,
      concurrency: options.concurrency,
      pollIntervalMs: options.pollInterval * 1000,
      ...(options.maxCost !== undefined ? { maxCostUsd: options.maxCost } : {}),
      taskTimeoutMs: options.taskTimeout * 60_000,
      videosDir: paths.videosDir,
      downloadConcurrency: options.downloadConcurrency,
      resubmitUnknown: options.resubmitUnknown,
      stopSignal: stop.signal,
      log,
      onChange: () => results.markChanged(),
    });
    clearInterval(progress);
    await results.flush();

    const counts = countByStatus(db);
    const spend = readSpend(db);
    const exitCode = decideExitCode(
      outcome.interrupted ? stop.exitCode() : undefined,
      outcome.stopReason?.code,
      outcome.unresolved,
      counts,
    );
    db.prepare(
      "UPDATE runs SET finished_at = ?, submitted = ?, exit_code = ?, stop_reason = ? WHERE id = ?",
    ).run(
      nowIso(),
      outcome.submitted,
      exitCode,
      outcome.stopReason?.message ?? (outcome.interrupted ? "interrupted" : null),
      runId,
    );
    const remaining = readRemainingEstimate(db);
    const rel = (p: string) => relative(process.cwd(), p) || ".";
    log.info(
      `${outcome.interrupted ? "Stopped" : "Finished"} after ${formatDuration(Date.now() - startedAt)}: ${formatCounts(counts)}. ` +
        `Submitted this run: ${outcome.submitted}. Spent ${formatUsd(spend.totalUsd)}${spend.estimatedUsd > 0 ? ` (${formatUsd(spend.estimatedUsd)} of it estimated, not yet confirmed)` : ""}` +
        `${remaining > 0 ? `; ${formatUsd(remaining)} estimated for the rows still to submit` : ""}.`,
    );
    log.info(`Results: ${rel(paths.out)} · videos: ${rel(paths.videosDir)} · ledger: ${rel(paths.ledger)}`);
    if (outcome.stopReason) log.warn(`stopped early: ${outcome.stopReason.message}`);
    if (exitCode === 3 || exitCode >= 128) log.info("Run the same command again to resume.");
    if ((counts.unknown ?? 0) > 0)
      log.info(
        `${counts.unknown} row(s) are unknown: see the error column; --resubmit-unknown submits them again.`,
      );
    if (options.json) {
      process.stdout.write(
        `${JSON.stringify({
          exitCode,
          rows: plan.rows,
          byStatus: counts,
          submitted: outcome.submitted,
          spentUsd: round(spend.totalUsd),
          unconfirmedUsd: round(spend.estimatedUsd),
          remainingEstimateUsd: round(remaining),
          stopReason: outcome.stopReason?.code ?? (outcome.interrupted ? "interrupted" : null),
          results: paths.out,
          ledger: paths.ledger,
          videosDir: paths.videosDir,
        })}\n`,
      );
    }
    return exitCode;
  } finally {
    clearInterval(heartbeat);
    clearInterval(progress);
    stop.dispose();
    lock?.release();
    db.close();
  }
}

/**
 * Tasks in flight on another provider can only be followed by that provider: switching --provider
 * on such a ledger would poll (or look up) task IDs the new provider has never heard of.
 */
function refuseForeignTasksInFlight(db: Database.Database, provider: Provider): void {
  const foreign = db
    .prepare(`SELECT provider, COUNT(*) AS n FROM tasks WHERE state IN ('submitting', 'running')
      AND provider != ? GROUP BY provider ORDER BY n DESC`)
    .all(provider.name) as { provider: string; n: number }[];
  const first = foreign[0];
  if (!first) return;
  throw new UserError(
    `this ledger has ${first.n} task(s) still in flight on ${first.provider}. Run again with --provider ${first.provider} to finish them, then switch providers. Nothing was submitted.`,
    2,
    "CONFIG_PROVIDER_MISMATCH",
  );
}

/** Checks the key and balance before anything is submitted; a rejected key stops here (exit 2). */
async function preflight(
  provider: Provider,
  db: Database.Database,
  log: Logger,
  signal: AbortSignal,
): Promise<void> {
  const toSubmit = readRemainingEstimate(db);
  // Nothing to submit: a finished batch re-run makes no request at all.
  if (!provider.getBalance || toSubmit === 0) return;
  try {
    const balance = await provider.getBalance(signal);
    log.info(`${provider.name} balance: ${balance.text}`);
    if (balance.usd !== undefined && toSubmit > balance.usd) {
      log.warn(
        `the rows to submit are estimated at ${formatUsd(toSubmit)}, more than the balance; the run will stop when credits run out (resumable)`,
      );
    }
  } catch (error) {
    if (!isProviderError(error)) throw error;
    if (error.kind === "auth")
      throw new UserError(
        `${provider.name} rejected the API key: ${error.message}. Nothing was submitted.`,
        2,
        "CONFIG_KEY_REJECTED",
      );
    log.warn(`could not read the ${provider.name} balance (${error.message}); going on`);
  }
}

export function decideExitCode(
  signalExit: number | undefined,
  stopReason: StopReasonCode | undefined,
  unresolved: number,
  counts: Record<string, number>,
): number {
  if (signalExit !== undefined) return signalExit;
  const unfinished = (counts.pending ?? 0) + (counts.running ?? 0) + (counts.submitting ?? 0);
  if (stopReason || unresolved > 0 || unfinished > 0) return 3;
  if ((counts.failed ?? 0) + (counts.invalid ?? 0) + (counts.unknown ?? 0) > 0) return 1;
  return 0;
}

function logPlan(log: Logger, plan: Plan, provider: Provider): void {
  if (provider.describe) log.info(provider.describe());
  log.info(
    `${plan.rows} rows (${plan.textToVideo} text-to-video, ${plan.imageToVideo} image-to-video${plan.invalid ? `, ${plan.invalid} invalid` : ""}) on ${provider.name}; ` +
      `${formatCounts(plan.byStatus)}. Estimated ${formatUsd(plan.toSubmitUsd)} for the rows to submit.`,
  );
}

/** Reads the input against the ledger with the command line's defaults for empty cells. */
function planInput(
  options: RunOptions,
  provider: Provider,
  db: Database.Database | null,
  log: Logger,
  dryRun: boolean,
): Promise<Plan> {
  const defaults = {
    duration: options.duration,
    aspectRatio: options.aspectRatio,
    sound: options.sound,
    model: options.model,
    ...(options.mode ? { mode: options.mode } : {}),
  };
  return planRows({ csvPath: options.input, db, provider, defaults, log, dryRun });
}

function round(usd: number): number {
  return Math.round(usd * 10_000) / 10_000;
}
