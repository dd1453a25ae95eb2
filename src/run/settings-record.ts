import type { RunSettings } from "./settings.js";

/**
 * What `runs.settings` keeps of a run: the settings that shaped it, named one by one. Settings hold
 * no secrets by construction; a base URL loses its user info and query all the same.
 */
export function settingsRecord(settings: RunSettings): Record<string, unknown> {
  const baseUrl = cleanUrl(settings.baseUrl);
  const uploadBaseUrl = cleanUrl(settings.uploadBaseUrl);
  const {
    paths: _paths,
    timings: _timings,
    callbacks,
    baseUrl: _given,
    uploadBaseUrl: _givenUpload,
    map: _map,
    ...rest
  } = settings;
  return {
    ...rest,
    ...(baseUrl ? { baseUrl } : {}),
    ...(uploadBaseUrl ? { uploadBaseUrl } : {}),
    ...(callbacks
      ? {
          callbacks: {
            host: callbacks.host,
            port: callbacks.port,
            safetyPollMs: callbacks.safetyPollMs,
            ...(callbacks.publicUrl ? { publicUrl: callbacks.publicUrl } : {}),
          },
        }
      : {}),
  };
}

/** A URL without user info or query (neither belongs in the ledger). */
function cleanUrl(given: string | undefined): string | undefined {
  if (!given) return undefined;
  try {
    const url = new URL(given);
    url.username = "";
    url.password = "";
    url.search = "";
    return url.toString();
  } catch {
    return undefined;
  }
}
