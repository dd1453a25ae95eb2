import type { RunOptions } from "../run-options.js";

/**
 * What `runs.settings` keeps of a run: the settings that shaped it, named one by one. Secrets are
 * not among them by construction (webhook keys given as flags are recorded only as "given"), and
 * neither are paths to a credential or a base URL's user info.
 */
export function settingsRecord(options: RunOptions): Record<string, unknown> {
  let baseUrl: string | undefined;
  if (options.baseUrl) {
    try {
      const url = new URL(options.baseUrl);
      url.username = "";
      url.password = "";
      url.search = "";
      baseUrl = url.toString();
    } catch {
      baseUrl = undefined;
    }
  }
  return {
    provider: options.provider,
    model: options.model,
    concurrency: options.concurrency,
    ...(options.workflow ? { workflow: options.workflow } : {}),
    ...(baseUrl ? { baseUrl } : {}),
    simulate: options.simulate,
    ...(options.maxCost !== undefined ? { maxCost: options.maxCost } : {}),
    ...(options.maxCredits !== undefined ? { maxCredits: options.maxCredits } : {}),
    allowUnknownPrice: options.allowUnknownPrice,
    pollInterval: options.pollInterval,
    duration: options.duration,
    aspectRatio: options.aspectRatio,
    sound: options.sound,
    ...(options.mode ? { mode: options.mode } : {}),
    retryFailed: options.retryFailed,
    maxAttempts: options.maxAttempts,
    resubmitUnknown: options.resubmitUnknown,
    taskTimeout: options.taskTimeout,
    downloadConcurrency: options.downloadConcurrency,
    maxVideoMb: options.maxVideoMb,
    ...(options.limit !== undefined ? { limit: options.limit } : {}),
    ...(options.rows ? { rows: options.rows } : {}),
    ...(options.submitRate ? { submitRate: options.submitRate } : {}),
    ...(options.statusRate ? { statusRate: options.statusRate } : {}),
    ...(options.listen ? { listen: options.listen, callbackPoll: options.callbackPoll } : {}),
    ...(options.callbackUrl ? { callbackUrl: options.callbackUrl } : {}),
    kieWebhookKey: options.kieWebhookKey ? "given as a flag" : "from the environment, if set",
    klingWebhookSecret: options.klingWebhookSecret ? "given as a flag" : "from the environment, if set",
  };
}
