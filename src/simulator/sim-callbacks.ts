import { createHmac, randomUUID } from "node:crypto";
import { echoSecrets } from "./sim-http.js";
import type { SimStats } from "./sim-stats.js";

/**
 * How the simulator calls clients back (docs/provider-contracts.md, callbacks). Every fault is a
 * probability per callback, drawn from the simulator's seeded PRNG.
 */
export interface SimCallbackOptions {
  /** A callback that is never sent. */
  dropRate: number;
  /** Every callback is sent this much later than the event. */
  delayMs: number;
  /** How many times each callback is sent (2 or more: repeats). */
  repeat: number;
  /**
   * Before a task's real final callback, a forged one claiming success with a video that does not
   * exist, signed with the wrong key (or unsigned when no key is set).
   */
  forgeRate: number;
  /**
   * How forged callbacks are signed: "wrong", with another key; "replayed", as an attacker who saw
   * one real signature would — KIE's HMAC covers only `taskId.timestamp`, so a replayed one is valid
   * over any body; Kling's covers the body, so a replay over another body is not.
   */
  forgeSigning: "wrong" | "replayed";
  /** What forged callbacks claim: success with a video that is not the task's, or a failure. */
  forgeOutcome: "success" | "fail";
  /** KIE's webhook HMAC key (settings page); callbacks are signed when it is set. */
  kieWebhookKey?: string;
  /** Kling's Standard-Webhooks secret (`whsec_…`); callbacks are signed when it is set. */
  klingWebhookSecret?: string;
}

export const DEFAULT_SIM_CALLBACKS: SimCallbackOptions = {
  dropRate: 0,
  delayMs: 0,
  repeat: 1,
  forgeRate: 0,
  forgeSigning: "wrong",
  forgeOutcome: "success",
};

export type CallbackStyle = "kie" | "kling";

export interface SimCallbackEvent {
  style: CallbackStyle;
  url: string;
  /** The task id a KIE signature covers. */
  taskId: string;
  /** Built when it is sent, so it says what is true then. */
  body: () => unknown;
  /** The final callback of the task (only these are forged). */
  final: boolean;
  /** A forged body: success with a video that is not the task's, or a failure. */
  forgedBody?: (outcome: "success" | "fail") => unknown;
}

/** `base64(HMAC-SHA256(taskId + "." + timestamp, key))`: KIE's webhook signature. */
export function kieSignature(key: string, taskId: string, timestamp: string): string {
  return createHmac("sha256", key).update(`${taskId}.${timestamp}`).digest("base64");
}

/** Standard Webhooks: `v1,base64(HMAC-SHA256(id.timestamp.body, base64decode(secret sans whsec_)))`. */
export function standardWebhookSignature(
  secret: string,
  id: string,
  timestamp: string,
  body: string,
): string {
  const key = Buffer.from(secret.replace(/^whsec_/, ""), "base64");
  return `v1,${createHmac("sha256", key).update(`${id}.${timestamp}.${body}`).digest("base64")}`;
}

/**
 * Sends callbacks at the time their event happens (plus the configured delay), dropping,
 * repeating and forging them as configured. Stops everything on close.
 */
export function createSimCallbacks(
  options: () => SimCallbackOptions,
  random: () => number,
  stats: SimStats,
  /** A hostile server's echo (see `echoSecrets`) for callback bodies too, when one is set. */
  echo: (style: CallbackStyle) => string | undefined = () => undefined,
) {
  const timers = new Set<NodeJS.Timeout>();
  const inFlight = new AbortController();

  const later = (ms: number, fn: () => void) => {
    const timer = setTimeout(
      () => {
        timers.delete(timer);
        fn();
      },
      Math.max(0, ms),
    );
    timers.add(timer);
  };

  const post = async (event: SimCallbackEvent, body: unknown, signer: "right" | "wrong" | "replayed") => {
    const opts = options();
    const echoed = echo(event.style);
    const raw = JSON.stringify(echoed ? echoSecrets(body, { text: echoed, ids: false }) : body);
    // A replay carries a real signature: over the task's real body where the signature covers one.
    const signedRaw = signer === "replayed" ? JSON.stringify(event.body()) : raw;
    const timestamp = String(Math.floor(Date.now() / 1000));
    const headers: Record<string, string> = { "content-type": "application/json" };
    if (event.style === "kie" && opts.kieWebhookKey) {
      const key = signer === "wrong" ? `${opts.kieWebhookKey}-forged` : opts.kieWebhookKey;
      headers["x-webhook-timestamp"] = timestamp;
      headers["x-webhook-signature"] = kieSignature(key, event.taskId, timestamp);
    }
    if (event.style === "kling" && opts.klingWebhookSecret) {
      const secret =
        signer === "wrong" ? `whsec_${Buffer.from("forged").toString("base64")}` : opts.klingWebhookSecret;
      const id = `msg_${randomUUID()}`;
      headers["webhook-id"] = id;
      headers["webhook-timestamp"] = timestamp;
      headers["webhook-signature"] = standardWebhookSignature(secret, id, timestamp, signedRaw);
    }
    try {
      const response = await fetch(event.url, {
        method: "POST",
        headers,
        body: raw,
        signal: inFlight.signal,
      });
      await response.arrayBuffer();
      stats.count(`callbacks.answered.${response.status}`);
    } catch {
      stats.count("callbacks.unreachable");
    }
  };

  return {
    /** Sends `event` `atMs` from now (plus the configured delay), with the configured faults. */
    schedule(event: SimCallbackEvent, atMs: number): void {
      const opts = options();
      if (event.final && event.forgedBody && random() < opts.forgeRate) {
        const forged = event.forgedBody;
        later(atMs / 2, () => {
          stats.count("callbacks.forged");
          void post(event, forged(opts.forgeOutcome), opts.forgeSigning);
        });
      }
      if (random() < opts.dropRate) {
        later(atMs, () => stats.count("callbacks.dropped"));
        return;
      }
      const times = Math.max(1, Math.floor(opts.repeat));
      later(atMs + opts.delayMs, () => {
        let body: unknown;
        try {
          body = event.body(); // every repeat carries the same body
        } catch {
          // A task the simulator cannot describe is a bug of the simulator's: counted, never a crash.
          stats.count("callbacks.describe-failed");
          return;
        }
        for (let i = 0; i < times; i++)
          later(i * 20, () => {
            stats.count(i === 0 ? "callbacks.sent" : "callbacks.repeated");
            void post(event, body, "right");
          });
      });
    },
    close(): void {
      for (const timer of timers) clearTimeout(timer);
      timers.clear();
      inFlight.abort();
    },
  };
}

export type SimCallbacks = ReturnType<typeof createSimCallbacks>;
