import { readMeta } from "../ledger/batch-meta.js";
import { countMarks } from "../ledger/mark-store.js";
import { openLedger } from "../ledger/open-ledger.js";
import { readRunLock } from "../ledger/run-lock.js";
import {
  countByStatus,
  listRowsByStatus,
  type ProblemRow,
  readRemainingEstimate,
  readSpend,
  readSpendByModel,
  type Spend,
} from "../ledger/summary.js";
import { createTaskStore } from "../ledger/task-store.js";
import { redoCommand } from "../review/redo-command.js";
import { redactSecrets } from "../util/redact.js";
import { ledgerSecrets } from "./secrets.js";

/** Where a batch stands, read from its ledger alone: safe while a run writes it. */
export interface BatchStatus {
  ledger: string;
  /** The provider its tasks were made on (null before any run). */
  provider: string | null;
  rows: number;
  /** Every row by status. */
  byStatus: Record<string, number>;
  /** Every task by state (a row has one task per attempt). */
  tasksByState: Record<string, number>;
  spend: Spend;
  /** Spend by model: tasks made (refused creates left out), USD charged or estimated, the estimated part. */
  spendByModel: { model: string; tasks: number; usd: number; estimatedUsd: number }[];
  /** Rows a reviewer marked, by mark (keep, redo). */
  marks: Record<string, number>;
  /** The command that submits a new attempt of each row marked Redo. */
  redoCommand: string;
  /** Estimate of the rows still to submit. */
  remainingUsd: number;
  /** A run holding the ledger now (its heartbeat is recent). */
  runInProgress: { pid: number; host: string; startedAt: string } | null;
  /** With `problems`: every failed, unknown and invalid row, in input order, errors redacted. */
  problems?: ProblemRow[];
}

/**
 * Reads where a batch stands from its ledger (read-only). `secrets` are redacted from the rows'
 * errors once more (a ledger written by an older vidbatch may hold one); `word` is how the caller
 * names settings in them (RunIo.wordSettings).
 */
export function readBatchStatus(
  ledgerPath: string,
  options: {
    problems?: boolean;
    secrets?: readonly string[];
    word?: (text: string) => string;
    /** The folder the redo command's paths are relative to (default: the current one). */
    cwd?: string;
  } = {},
): BatchStatus {
  const db = openLedger(ledgerPath, { readonly: true });
  try {
    const secrets = [...(options.secrets ?? []), ...ledgerSecrets(db)];
    const word = options.word ?? ((text: string) => text);
    const byStatus = countByStatus(db);
    const lock = readRunLock(db);
    const status: BatchStatus = {
      ledger: ledgerPath,
      provider: readMeta(db, "provider") ?? null,
      rows: Object.values(byStatus).reduce((a, b) => a + b, 0),
      byStatus,
      tasksByState: createTaskStore(db).countByState(),
      spend: readSpend(db),
      spendByModel: readSpendByModel(db),
      marks: countMarks(db),
      redoCommand: redoCommand(db, ledgerPath, options.cwd),
      remainingUsd: readRemainingEstimate(db),
      runInProgress: lock?.fresh ? { pid: lock.pid, host: lock.host, startedAt: lock.startedAt } : null,
    };
    if (options.problems)
      status.problems = listRowsByStatus(db, ["failed", "unknown", "invalid"]).map((p) => ({
        ...p,
        error: p.error === null ? null : redactSecrets(word(p.error), secrets),
      }));
    return status;
  } finally {
    db.close();
  }
}
