import { dirname } from "node:path";
import type Database from "better-sqlite3";
import { startBatch } from "../batch/run-batch.js";
import { ensureBatchId, ensureMeta, writeMeta } from "../ledger/batch-meta.js";
import { createBatchStores } from "../ledger/batch-stores.js";
import { createDiskReserve } from "../ledger/disk-reserve.js";
import { explainLineSelection } from "../ledger/line-selection.js";
import { createMarkStore, listKeptFailed } from "../ledger/mark-store.js";
import { openLedger } from "../ledger/open-ledger.js";
import type { RunLock } from "../ledger/run-lock.js";
import { createRunStore } from "../ledger/run-store.js";
import { countByStatus, readRemainingEstimate, readSelectedEstimate } from "../ledger/summary.js";
import { writeHtmlReport } from "../output/html-report.js";
import { UserError } from "../util/errors.js";
import type { Logger } from "../util/logger.js";
import { setting } from "../util/setting-name.js";
import { nowIso } from "../util/time.js";
import { checkOutputs } from "./check-outputs.js";
import { recordRunFailure } from "./ending.js";
import { finishRun } from "./finish-run.js";
import { holdLedger } from "./hold-ledger.js";
import { createLiveEvents } from "./live-events.js";
import { type OpenedRun, withOpenRun } from "./open-run.js";
import { planInput, summarizePlan } from "./plan-input.js";
import { checkBalance, refuseForeignTasksInFlight, refuseUnfollowableTasks } from "./preflight.js";
import { redoMarked } from "./redo-marked.js";
import { createRefresher, createResultsRefresher } from "./results-refresher.js";
import type { RunIo } from "./run-io.js";
import type { RunReport } from "./run-report.js";
import { learnLedgerSecrets } from "./secrets.js";
import { type RunSettingsInput, timingsOf, withDefaults } from "./settings.js";
import { settingsRecord } from "./settings-record.js";
import { startCallbacks } from "./start-callbacks.js";

/**
 * One run of a batch: reads the input, opens the provider, takes the ledger and its lock, plans,
 * starts callbacks, runs the engine, writes the results (and the report) and returns what happened.
 * Resumable like the CLI: run it again with the same settings and only what is left is done.
 *
 * Expected trouble (a stop, a budget, failed rows) is in the report; an error that prevents the run
 * (bad settings, an unreadable input, a busy ledger, a rejected key) is thrown as a UserError with
 * a stable `code`, after the ledger is left consistent.
 */
export async function runVideoBatch(given: RunSettingsInput, io: RunIo = {}): Promise<RunReport> {
  const startedAt = Date.now();
  const every = io.progressEveryMs;
  if (every !== undefined && !(Number.isFinite(every) && every >= 50))
    throw new UserError(
      "USAGE",
      `${setting("progressEveryMs")} must be at least 50 (milliseconds; it is ${every}). Nothing was submitted.`,
    );
  return withOpenRun(withDefaults(given), io, false, (run) => realRun(run, io, startedAt));
}

async function realRun(run: OpenedRun, io: RunIo, startedAt: number): Promise<RunReport> {
  const { settings, paths, provider, log, frames } = run;
  checkOutputs(settings.input, paths);
  const db = openLedger(paths.ledger);
  let lock: RunLock | undefined;
  const timers: NodeJS.Timeout[] = [];
  const stopSignal = io.signal ?? new AbortController().signal;
  const redact = learnLedgerSecrets(db, provider.secrets, log);
  const results = createResultsRefresher(db, paths.out, provider.secrets, log, io.wordSettings);
  // The report is rewritten during the run too, at most every 30 s, so a reviewer can open it early.
  const report = settings.report
    ? createRefresher(
        () => writeHtmlReport(db, paths.report, provider.secrets, io.wordSettings, paths.ledger),
        paths.report,
        log,
        timingsOf(settings).reportRefreshMs,
      )
    : undefined;
  let events: ReturnType<typeof createLiveEvents> | undefined;
  let held: ReturnType<typeof holdLedger> | undefined;
  // Every write that leads to money checks, in its own transaction, that this run still owns the ledger.
  // Room kept on the ledger's disk for the writes that decide money (taken once the lock is held).
  let reserve: ReturnType<typeof createDiskReserve> | undefined;
  const stores = createBatchStores(db, {
    onFull: () => reserve?.release() ?? false,
    fence: () => {
      if (!lock) throw new Error("the ledger is written before its lock is taken");
      lock.assertOwned();
    },
    redact,
    onChange: (rowKey) => {
      if (!held?.stopped.aborted) {
        results.markChanged();
        report?.markChanged();
      }
      events?.rowChanged(rowKey);
    },
  });
  events = createLiveEvents(db, stores.jobs, io.onEvent, log, io.progressEveryMs);
  const runs = createRunStore(db, redact);
  let runId: number | undefined;
  let callbacks: Awaited<ReturnType<typeof startCallbacks>>;
  try {
    // checkSettings has made sure a given window is a positive number.
    const window = settings.lockStaleAfterMs;
    held = holdLedger(db, paths.ledger, window === undefined ? {} : { staleAfterMs: window }, log);
    lock = held.lock;
    timers.push(held.timer);
    reserve = createDiskReserve(`${paths.ledger}.reserve`);
    refuseForeignTasksInFlight(stores.tasks, provider);
    refuseUnfollowableTasks(stores.tasks, provider);

    const plan = await planInput(settings, provider, db, log, false, frames, redact);
    const batchId = ensureBatchId(db);
    // From this version on, every create carries its key (Wireflow: Idempotency-Key).
    const idempotencyKeysSince = ensureMeta(db, "idempotency_keys_since", nowIso());
    runId = runs.start(provider.name, settingsRecord(settings));
    if (io.rerun) writeMeta(db, "rerun_command", JSON.stringify(io.rerun));
    const requeued = settings.retryFailed ? stores.jobs.requeueFailed(settings.maxAttempts) : 0;
    const kept = settings.retryFailed ? listKeptFailed(db) : [];
    if (kept.length > 0)
      log.info(
        `${setting("retryFailed")}: ${kept.length} failed row(s) marked Keep in review stay as they are (line ${kept.slice(0, 8).join(", ")}${kept.length > 8 ? ", …" : ""})`,
      );
    const redo = redoMarked(db, settings.redo, log, stores.tasks.expectRedo);
    // The estimate covers what this run will submit, retried rows included.
    plan.byStatus = countByStatus(db);
    plan.toSubmitUsd = readRemainingEstimate(db);
    const planned = summarizePlan(plan, provider);
    const selected = settings.select ? readSelectedEstimate(db, settings.select) : undefined;
    if (selected?.rows === 0 && (planned.byStatus.pending ?? 0) > 0)
      log.warn(
        `${setting("select")} names none of the ${planned.byStatus.pending} pending row(s): nothing will be submitted`,
      );
    if (settings.select?.lines) warnAboutLines(db, settings.select.lines, log);
    events.emit({
      type: "planned",
      plan: planned,
      requeued,
      redo,
      ...(selected ? { selected } : {}),
      ...(run.simulator ? { simulatorUrl: run.simulator.url } : {}),
    });
    await checkBalance(provider, readRemainingEstimate(db), log, stopSignal);
    callbacks = await startCallbacks(settings.callbacks, db, provider, log);

    const batch = startBatch({
      stores,
      provider,
      batchId,
      idempotencyKeysSince,
      settings: {
        ...settings,
        videosDir: paths.videosDir,
        ledgerDir: dirname(paths.ledger),
        timings: timingsOf(settings),
      },
      account: run.account,
      previousRunMayBeAlive: held.lock.tookOverLive,
      // Losing the ledger to another run stops everything at once, like a stop: no new create.
      stopSignal: AbortSignal.any([stopSignal, held.stopped]),
      log,
      ...(callbacks ? { callbacks: callbacks.settings } : {}),
    });
    events.start(batch.waiting);
    const outcome = await batch.done;
    events.stop();
    await callbacks?.receiver.close();
    for (const timer of timers) clearInterval(timer);
    // The run that took over writes the results, the report and the videos from here on.
    if (held.stopped.aborted) throw held.stopped.reason;
    // Rows --redo put back that no new attempt followed (a --limit, a budget) show their last result again.
    createMarkStore(db).restoreUnsubmitted();
    await results.flush();
    await report?.settle();
    return await finishRun({
      db,
      runs,
      runId,
      run,
      outcome,
      plan: planned,
      stopReason: stopSignal.reason,
      resultsWrites: results.stats(),
      redact,
      ...(io.wordSettings ? { word: io.wordSettings } : {}),
      elapsedMs: Date.now() - startedAt,
    });
  } catch (error) {
    // Every piece of work has settled (the engine waits for it): the ledger is consistent. Say so in it.
    if (runId !== undefined) recordRunFailure(runs, runId, error);
    throw error;
  } finally {
    reserve?.release();
    events.stop();
    await callbacks?.receiver.close();
    for (const timer of timers) clearInterval(timer);
    results.cancel();
    report?.cancel();
    closeLedger(db, lock);
  }
}

function closeLedger(db: Database.Database, lock: RunLock | undefined): void {
  try {
    lock?.release();
  } catch {
    // A full disk: the lock goes stale and the next run takes it over.
  }
  db.close();
}

/** Says which named lines this run will not submit: past the input's end, or not pending. */
function warnAboutLines(
  db: Database.Database,
  lines: readonly (readonly [number, number])[],
  log: Logger,
): void {
  const { missing, notPending } = explainLineSelection(db, lines);
  if (missing.length > 0)
    log.warn(
      `${setting("select")}: line(s) ${missing.join(", ")} are not in the input; nothing is there to submit`,
    );
  if (notPending.length > 0) {
    const shown = notPending.slice(0, 5).map((r) => `line ${r.line} (${r.status})`);
    const more = notPending.length > 5 ? ` and ${notPending.length - 5} more` : "";
    log.warn(
      `${setting("select")}: ${notPending.length} named row(s) are not pending, so not submitted: ${shown.join(", ")}${more}${notPending.some((r) => r.status === "failed") ? `; failed rows go again with ${setting("retryFailed")}` : ""}`,
    );
  }
}
