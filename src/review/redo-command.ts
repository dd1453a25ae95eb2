import { relative } from "node:path";
import type Database from "better-sqlite3";
import { readMeta } from "../ledger/batch-meta.js";
import { defaultPaths } from "../run/paths.js";

/** A shell word: as it is when it is plain, else in single quotes. */
function shellWord(word: string): string {
  return /^[\w./:=@%+-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`;
}

/**
 * The command that submits a new attempt of each row marked Redo: the batch's input, with
 * `--ledger` when the ledger is not the one beside the input, paths relative to the current folder.
 */
export function redoCommand(db: Database.Database, ledgerPath?: string, cwd = process.cwd()): string {
  const input = readMeta(db, "input_path");
  const shown = (path: string) => (/^https?:/i.test(path) ? path : relative(cwd, path) || ".");
  const words = ["vidbatch", "run", input ? shown(input) : "<input>"];
  if (ledgerPath && (!input || /^https?:/i.test(input) || defaultPaths(input, {}).ledger !== ledgerPath))
    words.push("--ledger", shown(ledgerPath));
  words.push("--redo");
  return words.map((w) => (w === "<input>" ? w : shellWord(w))).join(" ");
}
