import { UserError } from "../util/errors.js";

/**
 * Faults of the machine rather than of vidbatch: a full disk, a read-only or unreadable file, a
 * damaged ledger. They reach the entry point as the system's or SQLite's own errors (a code, no
 * message for a user); this words them and gives them the code the user can act on. The ledger is
 * consistent whatever the fault: a failed write's transaction never committed.
 */
export function describeMachineFault(error: unknown): UserError | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code !== "string") return undefined;
  const detail = (error as Error).message;
  const path = (error as { path?: string }).path;
  const where = path ? ` (${path})` : "";
  if (code === "SQLITE_FULL" || code === "ENOSPC" || code === "EDQUOT")
    return new UserError(
      "DISK_FULL",
      `the disk is full${where}: ${detail}. Every finished write is in the ledger and every video on disk is whole; a create answered while the ledger could not be written is left "unknown" by the next run, which says so (check the provider's dashboard). Free some space (videos need up to --max-video-mb each), then run the same command again to resume.`,
    );
  if (code.startsWith("SQLITE_READONLY") || code === "EROFS" || code === "EACCES" || code === "EPERM")
    return new UserError(
      "LEDGER_READ_ONLY",
      `cannot write${where}: ${detail}. The ledger, the results, the videos folder and the report must be writable (check the file and folder permissions, or a read-only disk); point --ledger, --out or --videos-dir elsewhere if needed.`,
    );
  if (code.startsWith("SQLITE_CORRUPT") || code === "SQLITE_NOTADB")
    return new UserError(
      "LEDGER_CORRUPT",
      `the ledger is damaged: ${detail}. Do not delete it (it holds the task ids you paid for): copy it aside, try "sqlite3 <ledger> .recover > rescued.sql", or restore a backup; the provider's dashboard lists the tasks too.`,
    );
  if (code === "SQLITE_IOERR" || code.startsWith("SQLITE_IOERR_") || code === "EIO")
    return new UserError(
      "DISK_FULL",
      `the disk failed to read or write${where}: ${detail}. Check the disk (and its free space), then run the same command again to resume.`,
    );
  return undefined;
}
