import { join } from "node:path";
import { runBatch } from "../../batch/run-batch.js";
import { fetchRemoteInput, isUrl } from "../../input/fetch-input.js";
import { probeInput } from "../../input/open-input.js";
import { ensureBatchId, ensureMeta } from "../../ledger/batch-meta.js";
import { createBatchStores } from "../../ledger/batch-stores.js";
import { openLedger } from "../../ledger/open-ledger.js";
import type { RunLock } from "../../ledger/run-lock.js";
import { createRunStore } from "../../ledger/run-store.js";
import {
  countByStatus,
  listRowsByStatus,
  readRemainingEstimate,
  readSelectedEstimate,
  readSpend,
} from "../../ledger/summary.js";
import { writeHtmlReport } from "../../output/html-report.js";
import type { Provider } from "../../providers/provider.js";
import type { Simulator } from "../../simulator/simulator.js";
import { createLogger, type Logger } from "../../util/logger.js";
import { nowIso } from "../../util/time.js";

import { type BatchPaths, defaultPaths } from "../paths.js";
import { createResultsRefresher } from "../results-refresher.js";
import type { RunOptions } from "../run-options.js";
import { learnLedgerSecrets, secretsIn } from "../secrets.js";
import { installStopHandlers } from "../signals.js";
import { checkBaseUrl } from "./check-base-url.js";
import { checkOutputs } from "./check-outputs.js";
import { dryRun } from "./dry-run.js";
import { engineSettings } from "./engine-settings.js";
import { decideExitCode, recordRunFailure } from "./exit-policy.js";
import { holdLedger, lockSettings } from "./hold-ledger.js";
import { nextSteps } from "./next-steps.js";
import { openProvider } from "./open-provider.js";
import { planInput } from "./plan-input.js";
import { checkBalance, refuseForeignTasksInFlight } from "./preflight.js";
import { createProgressLine } from "./progress-line.js";
import { createProgressSampler } from "./progress-sampler.js";
import { settingsRecord } from "./run-settings.js";
import { logPlan, logSelection, reportRunEnd } from "./run-summary.js";
import { startSimulated } from "./simulated.js";
import { startCallbacks } from "./start-callbacks.js";

const PROGRESS_EVERY_MS = 15_000;
/** Stand-ins for a keyless dry run: never sent anywhere (a dry run submits nothing, asks nothing). */
const PRICE_ONLY_KEYS = { KIE_API_KEY: "dry-run", KLING_ACCESS_KEY: "dry-run", KLING_SECRET_KEY: "dry-run" };

function hasProviderKey(provider: string, env: Record<string, string | undefined>): boolean {
  if (provider === "kie") return Boolean(env.KIE_API_KEY?.trim());
  if (provider === "kling") return Boolean(env.KLING_ACCESS_KEY?.trim() && env.KLING_SECRET_KEY?.trim());
  return true; // Wireflow prices a workflow through its API: its key is needed
}
const LIVE_EVERY_MS = 400;

/** Failed or unknown rows listed at the end; the rest are a command away. */
const FIRST_PROBLEMS = 5;

/** `vidbatch run`: builds the provider, then either prices the input (--dry-run) or runs it. */
export async function runCommand(
  given: RunOptions,
  env: Record<string, string | undefined>,
  argv: readonly string[] = [],
): Promise<number> {
  const startedAt = Date.now();
  // An https:// CSV (a Google Sheets link too) is downloaded first; its ledger and results go to
  // the current folder, named after the sheet. Nothing is created before the input has been read.
  const remote = isUrl(given.input) ? await fetchRemoteInput(given.input) : undefined;
  try {
    const options = remote ? { ...given, input: remote.path } : given;
    await probeInput(options.input, options.sheet);
    const paths = defaultPaths(remote ? join(process.cwd(), `${remote.name}.csv`) : options.input, options);
    return await runInput(options, paths, env, startedAt, argv);
  } finally {
    await remote?.cleanup();
  }
}

async function runInput(
  options: RunOptions,
  paths: BatchPaths,
  env: Record<string, string | undefined>,
  startedAt: number,
  argv: readonly string[],
): Promise<number> {
  // Webhook keys given as flags work, but the environment is where secrets belong.
  const flagKeys = {
    ...(options.kieWebhookKey ? { KIE_WEBHOOK_KEY: options.kieWebhookKey } : {}),
    ...(options.klingWebhookSecret ? { KLING_WEBHOOK_SECRET: options.klingWebhookSecret } : {}),
  };
  env = { ...env, ...flagKeys };
  // The built-in simulator keeps its tasks beside the ledger, so a stopped simulated run resumes.
  const simulated = options.simulate
    ? await startSimulated(options, env, options.dryRun ? undefined : `${paths.ledger}.simulator.json`)
    : undefined;
  try {
    const workflow = simulated?.workflow ?? options.workflow;
    const baseUrl = simulated?.baseUrl ?? options.baseUrl;
    const insecure = baseUrl ? checkBaseUrl(baseUrl, options.allowInsecureHttp) : undefined;
    // Prices of KIE and Kling are local: a dry run needs no key there (and asks for no balance).
    const keyless = options.dryRun && !simulated && !hasProviderKey(options.provider, env);
    const providerEnv = keyless ? { ...env, ...PRICE_ONLY_KEYS } : (simulated?.env ?? env);
    const provider = await openProvider(options.provider, providerEnv, {
      ...(baseUrl ? { baseUrl } : {}),
      ...(workflow ? { workflow } : {}),
      ...(options.plan ? { plan: options.plan } : {}),
      limits: {
        ...(options.submitRate ? { creates: options.submitRate } : {}),
        ...(options.statusRate ? { statuses: options.statusRate } : {}),
      },
    });
    const log = createLogger({
      // Every key in play, the other providers' too (a webhook key given for the wrong provider).
      secrets: [...provider.secrets, ...secretsIn(env)],
      quiet: options.quiet,
      verbose: options.verbose,
      env,
    });
    if (insecure) log.warn(insecure);
    for (const name of Object.keys(flagKeys))
      log.warn(
        `a webhook key on the command line is visible to other users of this machine (ps, shell history): prefer ${name} in the environment or .env`,
      );
    if (provider.name !== "wireflow" && options.workflow)
      log.warn("--workflow applies to --provider wireflow only; it is ignored");
    if (options.mode && provider.unsupportedFields.includes("mode"))
      log.warn(`--mode is not supported by ${provider.name} and is not sent`);
    if (options.dryRun) return await dryRun(options, provider, paths.ledger, log, { keyless });
    return await realRun(
      options,
      provider,
      paths,
      log,
      startedAt,
      simulated?.simulator,
      argv,
      lockSettings(env),
    );
  } finally {
    await simulated?.simulator.close();
  }
}

async function realRun(
  options: RunOptions,
  provider: Provider,
  paths: BatchPaths,
  log: Logger,
  startedAt: number,
  simulator: Simulator | undefined,
  argv: readonly string[],
  lockOptions: { staleAfterMs?: number },
): Promise<number> {
  checkOutputs(options.input, paths);
  const db = openLedger(paths.ledger);
  let lock: RunLock | undefined;
  const timers: NodeJS.Timeout[] = [];
  const stop = installStopHandlers(log, (code) => {
    // Second Ctrl-C: every ledger write so far is committed; leave now.
    lock?.release();
    process.exit(code);
  });
  const redact = learnLedgerSecrets(db, provider.secrets, log);
  // Every write that leads to money checks, in its own transaction, that this run still owns the ledger.
  const stores = createBatchStores(
    db,
    () => {
      if (!lock) throw new Error("the ledger is written before its lock is taken");
      lock.assertOwned();
    },
    redact,
  );
  const runs = createRunStore(db, redact);
  let runId: number | undefined;
  const results = createResultsRefresher(db, paths.out, provider.secrets, log);
  let callbacks: Awaited<ReturnType<typeof startCallbacks>>;
  try {
    const held = holdLedger(db, paths.ledger, lockOptions, log);
    lock = held.lock;
    timers.push(held.timer);
    if (simulator) log.info(`Simulator: ${simulator.url} (no key, no cost, no network)`);
    refuseForeignTasksInFlight(stores.tasks, provider);

    const plan = await planInput(options, provider, db, log, false);
    const batchId = ensureBatchId(db);
    // From this version on, every create carries its key (Wireflow: Idempotency-Key).
    const idempotencyKeysSince = ensureMeta(db, "idempotency_keys_since", nowIso());
    runId = runs.start(provider.name, settingsRecord(options));
    let requeued = 0;
    if (options.retryFailed) requeued = stores.jobs.requeueFailed(options.maxAttempts);
    // The estimate covers what this run will submit, retried rows included.
    plan.byStatus = countByStatus(db);
    plan.toSubmitUsd = readRemainingEstimate(db);
    logPlan(log, plan, provider);
    logSelection(log, options, plan.byStatus.pending ?? 0, (select) => readSelectedEstimate(db, select));
    if (requeued > 0)
      log.info(
        `--retry-failed: ${requeued} failed row(s) will be submitted again (at most ${options.maxAttempts} attempts each)`,
      );
    await checkBalance(provider, readRemainingEstimate(db), log, stop.signal);
    callbacks = await startCallbacks(options, db, provider, log);

    const probe: { waiting?: () => string | undefined } = {};
    const line = createProgressLine(startedAt, countByStatus(db));
    const sample = createProgressSampler(db, LIVE_EVERY_MS);
    const progress = () => {
      const waiting = probe.waiting?.();
      return line({ ...sample(), ...(waiting ? { waiting } : {}) });
    };
    // A terminal gets the live line a few times a second; a log file a line at a steady pace.
    const every = log.live ? LIVE_EVERY_MS : PROGRESS_EVERY_MS;
    timers.push(setInterval(() => log.status(progress()), every).unref());
    const outcome = await runBatch({
      stores,
      provider,
      batchId,
      idempotencyKeysSince,
      ...engineSettings(options, paths),
      previousRunMayBeAlive: held.lock.tookOverLive,
      // Losing the ledger to another run stops everything at once, like a stop: no new create.
      stopSignal: AbortSignal.any([stop.signal, held.stopped]),
      log,
      probe,
      onChange: () => {
        if (!held.stopped.aborted) results.markChanged();
      },
      ...(callbacks ? { callbacks: callbacks.settings } : {}),
    });
    await callbacks?.receiver.close();
    for (const timer of timers) clearInterval(timer);
    // The run that took over writes the results, the report and the videos from here on.
    if (held.stopped.aborted) throw held.stopped.reason;
    await results.flush();
    const refreshed = results.stats();
    log.row(
      `results CSV written ${refreshed.writes} time(s) this run, the last in ${Math.round(refreshed.lastMs)} ms (refreshed at most every ${Math.round(refreshed.gapMs / 1000)} s)`,
    );

    const counts = countByStatus(db);
    const exitCode = decideExitCode(
      outcome.interrupted ? stop.exitCode() : undefined,
      outcome.stopReason?.code,
      outcome.unresolved,
      counts,
    );
    runs.finish(runId, {
      submitted: outcome.submitted,
      exitCode,
      stopReason: outcome.stopReason?.message ?? (outcome.interrupted ? "interrupted" : null),
    });
    const spend = readSpend(db);
    const remainingUsd = readRemainingEstimate(db);
    let reportPath: string | undefined;
    if (options.report) {
      try {
        await writeHtmlReport(db, paths.report, provider.secrets);
        reportPath = paths.report;
      } catch (error) {
        log.warn(`the report could not be written: ${(error as Error).message}`);
      }
    }
    const end = {
      exitCode,
      plan,
      outcome,
      counts,
      spend,
      remainingUsd,
      argv,
      // Redacted before the summary cuts them short (a cut secret would no longer be recognised).
      problems: listRowsByStatus(db, ["failed", "unknown"], FIRST_PROBLEMS).map((p) => ({
        ...p,
        error: p.error === null ? null : redact(p.error),
      })),
      next: nextSteps(argv, { counts, outcome, spentUsd: spend.totalUsd, remainingUsd }),
      ...(reportPath ? { reportPath } : {}),
    };
    reportRunEnd(log, { ...end, paths, elapsedMs: Date.now() - startedAt }, options.json);
    return exitCode;
  } catch (error) {
    // Every piece of work has settled (runBatch waits for it): the ledger is consistent. Say so in it.
    if (runId !== undefined) recordRunFailure(runs, runId, error);
    throw error;
  } finally {
    await callbacks?.receiver.close();
    for (const timer of timers) clearInterval(timer);
    results.cancel();
    stop.dispose();
    try {
      lock?.release();
    } catch {
      // A full disk: the lock goes stale and the next run takes it over.
    }
    db.close();
  }
}
