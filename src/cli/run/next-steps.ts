import type { BatchOutcome } from "../../batch/batch-context.js";
import { formatUsd } from "../format.js";

/** A command line as a user would type it again: arguments with spaces or quotes are quoted. */
export function shellLine(argv: readonly string[]): string {
  return argv.map((a) => (/^[\w@%+=:,./-]+$/.test(a) ? a : `'${a.replace(/'/g, `'\\''`)}'`)).join(" ");
}

/** argv with `--flag value` set to `value` (replacing any earlier one, in either spelling). */
function withFlag(argv: readonly string[], flag: string, value?: string): string[] {
  const out: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i] as string;
    if (a === flag) {
      if (value !== undefined) i++; // drop its value too
      continue;
    }
    if (a.startsWith(`${flag}=`)) continue;
    out.push(a);
  }
  return value === undefined ? [...out, flag] : [...out, flag, value];
}

/** argv without these flags; those in `valued` take the next argument with them. */
function without(argv: readonly string[], flags: string[], valued: string[] = []): string[] {
  const out: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i] as string;
    if (valued.includes(a)) {
      i++;
      continue;
    }
    if ([...flags, ...valued].some((f) => a === f || a.startsWith(`${f}=`))) continue;
    out.push(a);
  }
  return out;
}

export interface RunLeft {
  counts: Record<string, number>;
  outcome: BatchOutcome;
  /** Spent so far and the estimate of what is still to submit, for a new --max-cost. */
  spentUsd: number;
  remainingUsd: number;
}

/**
 * What to run next for what is left, each with the exact command: one instruction per situation,
 * the right one (a budget stop says to raise --max-cost, not to resume, which would stop again).
 * `argv` is the command as given, from `run` on (`--dry-run`, `--limit` and `--rows` are dropped).
 */
/** Flags whose value is a secret: never repeated in a suggested command. */
const SECRET_FLAGS = [
  "--kie-webhook-key",
  "--kieWebhookKey",
  "--kling-webhook-secret",
  "--klingWebhookSecret",
];

export function nextSteps(argv: readonly string[], left: RunLeft): string[] {
  const base = without(
    argv,
    ["--retry-failed", "--resubmit-unknown", "--dry-run"],
    ["--limit", "--rows", ...SECRET_FLAGS],
  );
  const cmd = (args: readonly string[]) => `vidbatch ${shellLine(args)}`;
  const steps: string[] = [];
  const c = left.counts;
  const stop = left.outcome.stopReason;
  const unfinished = (c.pending ?? 0) + (c.running ?? 0) + (c.submitting ?? 0);
  if (stop?.code === "budget") {
    const next = Math.ceil((left.spentUsd + left.remainingUsd) * 100 - 1e-6) / 100;
    steps.push(
      `Raise --max-cost to finish (about ${formatUsd(next)} covers the rest): ${cmd(withFlag(base, "--max-cost", next.toFixed(2)))}`,
    );
  } else if (stop?.code === "credit-budget") {
    steps.push(`Raise --max-credits to finish: ${cmd(base)} with a larger --max-credits`);
  } else if (stop?.code === "disk") {
    steps.push(`Free disk space where the warning above says, then resume: ${cmd(base)}`);
  } else if (left.outcome.unpriced > 0) {
    steps.push(
      `Run the ${left.outcome.unpriced} row(s) of unknown price too: ${cmd(withFlag(base, "--allow-unknown-price"))}`,
    );
  } else if (stop?.code === "credits") {
    steps.push(`Top up your credits, then resume: ${cmd(base)}`);
  } else if (stop?.code === "quota") {
    steps.push(`After the provider's limit resets, resume: ${cmd(base)}`);
  } else if (stop?.code === "auth") {
    steps.push(`Fix the API key, then resume: ${cmd(base)}`);
  } else if (unfinished > 0 || left.outcome.unresolved > 0) {
    steps.push(`Resume (finished rows are not paid again): ${cmd(base)}`);
  }
  if ((c.failed ?? 0) > 0)
    steps.push(
      `Retry the ${c.failed} failed row(s) (up to --max-attempts each): ${cmd(withFlag(base, "--retry-failed"))}`,
    );
  if ((c.unknown ?? 0) > 0)
    steps.push(
      `${c.unknown} row(s) have an unknown outcome and may be paid already; check the provider's dashboard, then: ${cmd(withFlag(base, "--resubmit-unknown"))}`,
    );
  if (steps.length > 0 && argv.some((a) => SECRET_FLAGS.some((f) => a === f || a.startsWith(`${f}=`))))
    steps.push(
      "The webhook key given as a flag is left out of these commands: put it in KIE_WEBHOOK_KEY or KLING_WEBHOOK_SECRET (environment or .env) so they verify callbacks too",
    );
  if ((c.invalid ?? 0) > 0)
    steps.push(`Fix the ${c.invalid} invalid row(s) named in the results' error column, then: ${cmd(base)}`);
  return steps;
}
