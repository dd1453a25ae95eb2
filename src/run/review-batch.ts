import { existsSync } from "node:fs";
import { resolve } from "node:path";
import { openLedger } from "../ledger/open-ledger.js";
import { batchName } from "../output/html-report.js";
import { redoCommand } from "../review/redo-command.js";
import { startReviewServer } from "../review/review-server.js";
import { UserError } from "../util/errors.js";
import { ledgerSecrets, secretsIn } from "./secrets.js";

/** What `startReview` needs: the ledger, and where to listen. */
export interface ReviewSettings {
  /** The batch's ledger (its `<input>.ledger.db`). */
  ledger: string;
  /** 127.0.0.1's port; 0 for any free one. Default 7733. */
  port?: number;
  /** The environment whose keys are redacted from every answer (default: process.env). */
  env?: Record<string, string | undefined>;
  /** How the reader names settings in the texts (RunIo.wordSettings). */
  wordSettings?: (text: string) => string;
  /** The folder the redo command's paths are relative to (default: the current one). */
  cwd?: string;
}

export const DEFAULT_REVIEW_PORT = 7733;

/**
 * Serves the review page of a batch on 127.0.0.1 until `close` is called: the gallery, live while a
 * run writes the ledger (its lock is never taken), marks Keep and Redo with notes saved to the
 * ledger, filters, export of the marks and the command that redoes the rows marked Redo.
 */
export async function startReview(settings: ReviewSettings) {
  const ledger = resolve(settings.cwd ?? process.cwd(), settings.ledger);
  if (!existsSync(ledger))
    throw new UserError(
      "LEDGER_MISSING",
      `No ledger at ${ledger}. Run "vidbatch run" on the input first, or name the ledger with --ledger.`,
    );
  const port = settings.port ?? DEFAULT_REVIEW_PORT;
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    throw new UserError("USAGE", `--port must be a whole number from 0 to 65535 (got ${port}).`);
  // A write connection: marks are written to it. Upgrading an older ledger adds the marks table.
  const db = openLedger(ledger);
  try {
    const redo = redoCommand(db, ledger, settings.cwd);
    const server = await startReviewServer({
      db,
      port,
      name: batchName(db, ledger),
      redoCommand: redo,
      secrets: [...secretsIn(settings.env ?? process.env), ...ledgerSecrets(db)],
      ...(settings.wordSettings ? { word: settings.wordSettings } : {}),
    });
    return {
      url: server.url,
      port: server.port,
      /** The command that submits a new attempt of each row marked Redo. */
      redoCommand: redo,
      async close() {
        await server.close();
        db.close();
      },
    };
  } catch (error) {
    db.close();
    if ((error as { code?: string }).code === "EADDRINUSE")
      throw new UserError(
        "USAGE",
        `Port ${port} on 127.0.0.1 is taken (another review?): pass --port N, or --port 0 for any free one.`,
      );
    throw error;
  }
}
