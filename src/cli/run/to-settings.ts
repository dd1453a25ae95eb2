import type { RunSettingsInput } from "../../run/settings.js";
import type { RunOptions } from "../run-options.js";

/**
 * VIDBATCH_LOCK_STALE_SECONDS: how long a silent run keeps the ledger before another may take it
 * over (default 60). Shorter suits tests; longer suits a ledger on a slow network folder.
 */
function lockStaleAfterMs(env: Record<string, string | undefined>): number | undefined {
  const seconds = Number(env.VIDBATCH_LOCK_STALE_SECONDS);
  return Number.isFinite(seconds) && seconds > 0 ? seconds * 1000 : undefined;
}

/**
 * The flags as the library's settings, once: seconds and minutes become milliseconds, MiB bytes,
 * --out and friends paths, --limit and --rows one row selection. What only the CLI uses (--json,
 * --quiet, --verbose, --dry-run) and the webhook keys (secrets, passed in the environment) stay out.
 */
export function settingsFrom(options: RunOptions, env: Record<string, string | undefined>): RunSettingsInput {
  const o = options;
  const staleAfterMs = lockStaleAfterMs(env);
  return {
    input: o.input,
    ...(o.sheet !== undefined ? { sheet: o.sheet } : {}),
    paths: {
      ...(o.out !== undefined ? { results: o.out } : {}),
      ...(o.ledger !== undefined ? { ledger: o.ledger } : {}),
      ...(o.videosDir !== undefined ? { videosDir: o.videosDir } : {}),
    },
    provider: o.provider,
    model: o.model,
    duration: o.duration,
    aspectRatio: o.aspectRatio,
    sound: o.sound,
    ...(o.mode ? { mode: o.mode } : {}),
    map: o.map,
    ...(o.workflow !== undefined ? { workflow: o.workflow } : {}),
    ...(o.plan !== undefined ? { plan: o.plan } : {}),
    ...(o.baseUrl !== undefined ? { baseUrl: o.baseUrl } : {}),
    ...(o.uploadBaseUrl !== undefined ? { uploadBaseUrl: o.uploadBaseUrl } : {}),
    allowInsecureHttp: o.allowInsecureHttp,
    simulate: o.simulate,
    ...(o.submitRate ? { submitRate: o.submitRate } : {}),
    ...(o.statusRate ? { statusRate: o.statusRate } : {}),
    concurrency: o.concurrency,
    pollIntervalMs: o.pollInterval * 1000,
    ...(o.maxCost !== undefined ? { maxCostUsd: o.maxCost } : {}),
    ...(o.haltOnFailures ? { haltOnFailures: o.haltOnFailures } : {}),
    ...(o.maxCredits !== undefined ? { maxCredits: o.maxCredits } : {}),
    allowUnknownPrice: o.allowUnknownPrice,
    taskTimeoutMs: o.taskTimeout * 60_000,
    maxVideoBytes: Math.round(o.maxVideoMb * 1024 * 1024),
    downloadStallMs: o.downloadStall * 1000,
    downloadConcurrency: o.downloadConcurrency,
    retryFailed: o.retryFailed,
    redo: o.redo,
    maxAttempts: o.maxAttempts,
    resubmitUnknown: o.resubmitUnknown,
    ...(o.limit !== undefined || o.rows
      ? {
          select: {
            ...(o.limit !== undefined ? { limit: o.limit } : {}),
            ...(o.rows ? { lines: o.rows } : {}),
          },
        }
      : {}),
    ...(o.listen
      ? {
          callbacks: {
            host: o.listen.host,
            port: o.listen.port,
            ...(o.callbackUrl ? { publicUrl: o.callbackUrl } : {}),
            safetyPollMs: o.callbackPoll * 1000,
          },
        }
      : {}),
    report: o.report,
    ...(staleAfterMs !== undefined ? { lockStaleAfterMs: staleAfterMs } : {}),
  };
}
