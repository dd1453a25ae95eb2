import { relative } from "node:path";
import type Database from "better-sqlite3";
import { readMeta } from "../ledger/batch-meta.js";
import { defaultPaths } from "../run/paths.js";

/** A shell word: as it is when it is plain, else in single quotes. */
function shellWord(word: string): string {
  return /^[\w./:=@%+-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`;
}

/**
 * The command that submits a new attempt of each row marked Redo: the command the batch was last
 * run with (kept in the ledger by the CLI), from the folder it ran in; for a ledger without one
 * (written by a program, or an older vidbatch), the batch's input with `--ledger` when the ledger is
 * not the one beside the input, paths relative to the current folder.
 */
export function redoCommand(db: Database.Database, ledgerPath?: string, cwd = process.cwd()): string {
  // The command the batch was last run with (its flags: --simulate, --sheet, --base-url, …).
  const rerun = readMeta(db, "rerun_command");
  if (rerun) {
    const last = JSON.parse(rerun) as { args: string[]; cwd: string };
    const there = last.cwd === cwd ? "" : `cd ${shellWord(last.cwd)} && `;
    return `${there}vidbatch ${last.args.map(shellWord).join(" ")} --redo`;
  }
  const input = readMeta(db, "input_path");
  const shown = (path: string) => (/^https?:/i.test(path) ? path : relative(cwd, path) || ".");
  const words = ["vidbatch", "run", input ? shown(input) : "<input>"];
  if (ledgerPath && (!input || /^https?:/i.test(input) || defaultPaths(input, {}).ledger !== ledgerPath))
    words.push("--ledger", shown(ledgerPath));
  words.push("--redo");
  return words.map((w) => (w === "<input>" ? w : shellWord(w))).join(" ");
}
