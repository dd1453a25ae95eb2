import type { NextStep } from "../../run/run-report.js";
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

/** Flags whose value is a secret: never repeated in a suggested command. */
const SECRET_FLAGS = [
  "--kie-webhook-key",
  "--kieWebhookKey",
  "--kling-webhook-secret",
  "--klingWebhookSecret",
];

/**
 * The command that runs this batch again, secret-free: argv without the flags that act once
 * (`--retry-failed`, `--resubmit-unknown`, `--redo`, `--dry-run`, `--json`, `--limit`, `--rows`).
 */
export function rerunArgs(argv: readonly string[]): string[] {
  return without(
    argv,
    ["--retry-failed", "--resubmit-unknown", "--redo", "--dry-run", "--json"],
    ["--limit", "--rows", ...SECRET_FLAGS],
  );
}

/**
 * Each next step the run reports, worded with the exact command to type. `argv` is the command as
 * given, from `run` on (`--dry-run`, `--limit` and `--rows` are dropped; secrets are never repeated).
 */
export function wordNextSteps(argv: readonly string[], steps: readonly NextStep[]): string[] {
  const base = without(
    argv,
    ["--retry-failed", "--resubmit-unknown", "--dry-run"],
    ["--limit", "--rows", ...SECRET_FLAGS],
  );
  const cmd = (args: readonly string[]) => `vidbatch ${shellLine(args)}`;
  const words = steps.map((step) => wordStep(step, base, cmd));
  const fixInvalid = steps.findIndex((s) => s.kind === "fix-invalid");
  const acted = fixInvalid === -1 ? words.length : fixInvalid;
  if (acted > 0 && argv.some((a) => SECRET_FLAGS.some((f) => a === f || a.startsWith(`${f}=`))))
    words.splice(
      acted,
      0,
      "The webhook key given as a flag is left out of these commands: put it in KIE_WEBHOOK_KEY or KLING_WEBHOOK_SECRET (environment or .env) so they verify callbacks too",
    );
  return words;
}

/** One step in words, with the command that does it. */
function wordStep(step: NextStep, base: string[], cmd: (args: readonly string[]) => string): string {
  switch (step.kind) {
    case "raise-max-cost":
      return `Raise --max-cost to finish (about ${formatUsd(step.costUsd)} covers the rest): ${cmd(withFlag(base, "--max-cost", step.costUsd.toFixed(2)))}`;
    case "raise-max-video-bytes":
      return `Raise --max-video-mb: ${step.videos} video(s) are larger than the cap (paid and kept; a run with a larger cap downloads them): ${cmd(base)} with a larger --max-video-mb`;
    case "raise-max-credits":
      return `Raise --max-credits to finish: ${cmd(base)} with a larger --max-credits`;
    case "free-disk":
      return `Free disk space where the warning above says, then resume: ${cmd(base)}`;
    case "allow-unknown-price":
      return `Run the ${step.rows} row(s) of unknown price too: ${cmd(withFlag(base, "--allow-unknown-price"))}`;
    case "top-up":
      return `Top up your credits, then resume: ${cmd(base)}`;
    case "wait-for-quota":
      return `After the provider's limit resets, resume: ${cmd(base)}`;
    case "fix-key":
      return `Fix the API key, then resume: ${cmd(base)}`;
    case "resume":
      return `Resume (finished rows are not paid again): ${cmd(base)}`;
    case "retry-failed":
      return `Retry the ${step.rows} failed row(s) (up to --max-attempts each): ${cmd(withFlag(base, "--retry-failed"))}`;
    case "edit-refused": {
      const shown =
        step.lines.slice(0, 8).join(", ") +
        (step.lines.length > 8 ? ` and ${step.lines.length - 8} more` : "");
      return `The provider's content filter refused ${step.lines.length === 1 ? `line ${shown}` : `lines ${shown}`}: the same prompt would be refused again, so edit the prompt on ${step.lines.length === 1 ? "that line" : "those lines"}; the next run submits an edited row again: ${cmd(base)}`;
    }
    case "resubmit-unknown":
      return `${step.rows} row(s) have an unknown outcome and may be paid already; check the provider's dashboard, then: ${cmd(withFlag(base, "--resubmit-unknown"))}`;
    case "fix-invalid":
      return `Fix the ${step.rows} invalid row(s) named in the results' error column, then: ${cmd(base)}`;
  }
}
