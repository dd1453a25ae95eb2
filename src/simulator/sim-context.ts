import type { SimCallbacks } from "./sim-callbacks.js";
import type { SimMedia } from "./sim-media.js";
import type { SimOptions } from "./sim-options.js";
import type { SimStats } from "./sim-stats.js";

/** What every simulated API shares: options, a seeded PRNG, counters, the address, the balance. */
export interface SimContext {
  options: () => SimOptions;
  random: () => number;
  stats: SimStats;
  baseUrl: () => string;
  /** The account balance in the provider's own unit (KIE credits, Kling units, Wireflow credits). */
  credits: { balance: number };
  /** Sends completion callbacks to clients that asked for them. */
  callbacks: SimCallbacks;
  /** A task was made: the simulator's state changed (saved, when it keeps a state file). */
  changed: () => void;
  /** Files clients uploaded, served back and looked up when a create names one. */
  media: SimMedia;
}

/** What a simulated API keeps between runs (plain data, written as JSON). */
export interface SimState {
  save(): unknown;
  load(data: unknown): void;
}

/**
 * Result-file URL for a task: `/files/<id>.mp4`, with an expiry when result URLs have a TTL. A task
 * that asked for 9:16 gets the portrait sample (`/files/<id>-portrait.mp4`), as a real 9:16 clip is.
 */
export function resultFileUrl(ctx: SimContext, fileId: string, readyAt: number, aspect?: unknown): string {
  const ttl = ctx.options().resultUrlTtlMs;
  const expires = ttl > 0 ? `?expires=${readyAt + ttl}` : "";
  return `${ctx.baseUrl()}/files/${fileId}${aspect === "9:16" ? "-portrait" : ""}.mp4${expires}`;
}
