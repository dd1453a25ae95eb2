import type { RunSettings } from "./settings.js";

/**
 * What `runs.settings` keeps of a run: the settings that shaped it, named one by one. Settings hold
 * no secrets by construction; a base URL loses its user info and query all the same.
 */
export function settingsRecord(settings: RunSettings): Record<string, unknown> {
  let baseUrl: string | undefined;
  if (settings.baseUrl) {
    try {
      const url = new URL(settings.baseUrl);
      url.username = "";
      url.password = "";
      url.search = "";
      baseUrl = url.toString();
    } catch {
      baseUrl = undefined;
    }
  }
  const { paths: _paths, timings: _timings, callbacks, baseUrl: _given, map: _map, ...rest } = settings;
  return {
    ...rest,
    ...(baseUrl ? { baseUrl } : {}),
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
