/**
 * The flag that sets each setting, by the setting's name: how the CLI words the messages the
 * library writes in its own vocabulary (a setting's name in backticks, util/setting-name.ts).
 */
const FLAG_OF: Readonly<Record<string, string>> = {
  sheet: "--sheet",
  "paths.results": "--out",
  "paths.ledger": "--ledger",
  "paths.videosDir": "--videos-dir",
  provider: "--provider",
  model: "--model",
  duration: "--duration",
  aspectRatio: "--aspect-ratio",
  sound: "--sound",
  mode: "--mode",
  map: "--map",
  workflow: "--workflow",
  plan: "--plan",
  baseUrl: "--base-url",
  uploadBaseUrl: "--upload-base-url",
  allowInsecureHttp: "--allow-insecure-http",
  simulate: "--simulate",
  submitRate: "--submit-rate",
  statusRate: "--status-rate",
  concurrency: "--concurrency",
  pollIntervalMs: "--poll-interval",
  maxCostUsd: "--max-cost",
  maxCredits: "--max-credits",
  allowUnknownPrice: "--allow-unknown-price",
  taskTimeoutMs: "--task-timeout",
  maxVideoBytes: "--max-video-mb",
  downloadStallMs: "--download-stall",
  downloadConcurrency: "--download-concurrency",
  retryFailed: "--retry-failed",
  redo: "--redo",
  maxAttempts: "--max-attempts",
  haltOnFailures: "--halt-on-failures",
  resubmitUnknown: "--resubmit-unknown",
  select: "--limit/--rows",
  callbacks: "--listen",
  "callbacks.publicUrl": "--callback-url",
  report: "--report",
};

/** Rewrites each `setting` a message names to its flag (names the CLI has no flag for stay as they are). */
export function wordFlags(text: string): string {
  return text.replace(/`([A-Za-z.]+)`/g, (whole, name: string) => FLAG_OF[name] ?? whole);
}
