import { randomBytes } from "node:crypto";
import type Database from "better-sqlite3";
import type { CallbackSettings } from "../batch/batch-context.js";
import { type CallbackReceiver, startCallbackReceiver } from "../callbacks/callback-receiver.js";
import { ensureMeta } from "../ledger/batch-meta.js";
import type { Provider } from "../providers/provider.js";
import { UserError } from "../util/errors.js";
import type { Logger } from "../util/logger.js";
import { isLoopbackHost } from "../util/loopback.js";
import type { CallbackListen } from "./settings.js";

/**
 * Completion callbacks: starts the run's callback receiver before anything is submitted.
 * The secret path segment is the batch's own, kept in the ledger, so a resumed run still accepts
 * the callbacks of tasks an earlier run made with the same address.
 */
export async function startCallbacks(
  listen: CallbackListen | undefined,
  db: Database.Database,
  provider: Provider,
  log: Logger,
): Promise<{ settings: CallbackSettings; receiver: CallbackReceiver } | undefined> {
  if (!listen) return undefined;
  if (!provider.readCallback)
    throw new UserError(
      "USAGE",
      `${provider.name} documents no completion callbacks: run it without a callback listener`,
    );
  const secret = ensureMeta(db, "callback_secret", randomBytes(18).toString("base64url"));
  // A provider echoing the callback URL in a message must not get it printed or stored.
  log.redact(secret);
  if (!provider.secrets.includes(secret)) provider.secrets.push(secret);
  let receiver: CallbackReceiver;
  try {
    receiver = await startCallbackReceiver({
      host: listen.host,
      port: listen.port,
      secret,
      ...(listen.publicUrl ? { publicUrl: listen.publicUrl } : {}),
    });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new UserError(
      "USAGE",
      `cannot listen for callbacks on ${listen.host}:${listen.port}${code === "EADDRINUSE" ? ": the port is in use (another run?); pick another port" : `: ${(error as Error).message}`}`,
    );
  }
  const publicUrl = new URL(receiver.publicBase);
  if (publicUrl.protocol === "http:" && !/^(127\.|localhost$|\[::1\]$)/.test(publicUrl.hostname))
    log.warn(
      `callbacks come over plain http to ${publicUrl.host}: anyone on the way can read them; prefer an https tunnel`,
    );
  if (!isLoopbackHost(listen.host))
    log.warn(
      `the callback receiver listens on ${receiver.listening}, reachable from other machines on your networks: it answers only POSTs under this batch's secret path (everything else gets a bare 404), and a callback only wakes a task for a status check unless its signature covers its body`,
    );
  log.info(
    `Callbacks: listening on ${receiver.listening}; ${provider.name} calls ${receiver.publicBase}/… when a task ends (tasks are checked every ${Math.round(listen.safetyPollMs / 100) / 10} s in case a callback is lost)`,
  );
  return {
    receiver,
    settings: {
      urlFor: receiver.urlFor,
      attach: receiver.attach,
      safetyPollMs: listen.safetyPollMs,
    },
  };
}
