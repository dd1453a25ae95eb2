import http from "node:http";
import https from "node:https";

function agents(maxSockets: number) {
  const options = { keepAlive: true, maxSockets, maxFreeSockets: maxSockets, scheduling: "lifo" as const };
  return { http: new http.Agent(options), https: new https.Agent(options) };
}

/**
 * Kept-alive connections, at most this many per host: requests reuse a few warm connections
 * instead of opening new ones in bursts (Node's global agent has no cap, so a burst of checks
 * opened hundreds, which the server then closed when idle, and the next burst opened them again).
 * Providers allow ~10 requests a second, so 32 at once is never the limit.
 */
export const API_AGENTS = agents(32);

/** Downloads have their own pool, so a slow video never holds up an API call. */
export const DOWNLOAD_AGENTS = agents(64);
