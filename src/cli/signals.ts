import { StopRequest } from "../run/ending.js";
import { EXIT } from "../run/exit-codes.js";
import type { Logger } from "../util/logger.js";

/**
 * First Ctrl-C (or SIGTERM): graceful stop — no new submissions, creates already on the wire
 * finish so their task IDs are saved. Second Ctrl-C: `onForce` (exit at once; the ledger is
 * consistent after every committed write, and the next run settles what was on the wire).
 */
export function installStopHandlers(
  log: Logger,
  onForce: (code: number) => void,
): { signal: AbortSignal; dispose(): void } {
  const controller = new AbortController();
  const handler = (signal: NodeJS.Signals) => {
    if (controller.signal.aborted) {
      onForce(signal === "SIGTERM" ? EXIT.sigterm : EXIT.sigint);
      return;
    }
    log.info(
      `\n${signal === "SIGINT" ? "Ctrl-C" : signal}: stopping. No new submissions; waiting for submissions on the wire so their task IDs are saved. Tasks keep generating at the provider; run the same command again to collect them. Press Ctrl-C again to quit at once.`,
    );
    controller.abort(new StopRequest("stopped by user", signal === "SIGTERM" ? EXIT.sigterm : EXIT.sigint));
  };
  process.on("SIGINT", handler);
  process.on("SIGTERM", handler);
  return {
    signal: controller.signal,
    dispose() {
      process.off("SIGINT", handler);
      process.off("SIGTERM", handler);
    },
  };
}
