import { statfsSync } from "node:fs";
import type { JobSpec } from "../job/job-spec.js";
import type { JobRow } from "../ledger/types.js";
import { isProviderError, type ProviderError } from "../providers/provider-error.js";
import { calculateRetryDelay } from "../providers/retry-delay.js";
import { formatUsd } from "../util/format-usd.js";
import { setting } from "../util/setting-name.js";
import { sleep } from "../util/sleep.js";
import type { BatchContext } from "./batch-context.js";
import { externalTaskId } from "./external-id.js";

/** What submitting a row needs: the ledger, the provider and its create budget, the gates that stop it. */
export type SubmitContext = Pick<
  BatchContext,
  | "creates"
  | "finishes"
  | "frames"
  | "halt"
  | "inbox"
  | "jobs"
  | "log"
  | "options"
  | "outcome"
  | "provider"
  | "settings"
  | "submitGate"
  | "tasks"
>;

const MAX_TRANSIENT_TRIES = 6;
const MAX_RATE_LIMITED_TRIES = 30;

export type SubmitResult =
  | { result: "running" | "unknown"; taskRowId: number }
  | { result: "failed" | "deferred" | "halted" };

/**
 * Submits one row. The order of ledger writes is what makes this safe with money:
 * 1. the intent (a `submitting` task with its request) is committed before the request is sent;
 * 2. the task ID is committed as soon as the answer arrives;
 * 3. a refused create is recorded as `rejected` (no task exists) and may be sent again;
 * 4. a create whose answer was lost is `unknown` and is never resent here.
 * Only refusals are retried, so a row can never end up with two paid tasks from one run.
 */
export async function submitJob(ctx: SubmitContext, job: JobRow): Promise<SubmitResult> {
  const outcome = await trySubmit(ctx, job);
  if (typeof outcome === "number") return { result: "running", taskRowId: outcome };
  if (typeof outcome === "object") return { result: "unknown", taskRowId: outcome.unknown };
  return { result: outcome };
}

type Ended = "failed" | "deferred" | "halted" | { unknown: number };

async function trySubmit(ctx: SubmitContext, job: JobRow): Promise<number | Ended> {
  const spec = JSON.parse(job.spec_json as string) as JobSpec;
  const estimate = ctx.provider.estimateCost(spec);
  let transientTries = 0;
  let rateLimitedTries = 0;
  const unpriced =
    (estimate.usd === undefined && ctx.settings.maxCostUsd !== undefined) ||
    (estimate.credits === undefined && ctx.settings.maxCredits !== undefined);
  if (unpriced && !ctx.settings.allowUnknownPrice) {
    const budget =
      estimate.usd === undefined && ctx.settings.maxCostUsd !== undefined ? "maxCostUsd" : "maxCredits";
    ctx.jobs.setStatus(
      job.row_key,
      "pending",
      `not submitted: its price is unknown (${estimate.source}), so ${setting(budget)} cannot cover it; ${budget === "maxCostUsd" && estimate.credits !== undefined ? `budget it with ${setting("maxCredits")}, or ` : ""}add ${setting("allowUnknownPrice")} to run it anyway`,
    );
    ctx.outcome.unpriced++;
    return "deferred";
  }

  // The frames first: an upload is free, and one that fails means the row is not submitted at all.
  const delivered = await ctx.frames.deliver(spec, ctx.submitGate.signal);
  if (!delivered.ok) {
    if (delivered.outcome === "halted") {
      if (delivered.halt) ctx.halt(delivered.halt.code, delivered.halt.message);
      ctx.jobs.setStatus(job.row_key, "pending", null);
      return "halted";
    }
    if (delivered.outcome === "failed") {
      ctx.jobs.setStatus(job.row_key, "failed", delivered.message);
      ctx.log.notice(`line ${job.line}: failed: ${delivered.message}`);
      return "failed";
    }
    ctx.jobs.setStatus(job.row_key, "pending", delivered.message);
    ctx.outcome.unresolved++;
    ctx.log.notice(`line ${job.line}: ${delivered.message}`);
    return "deferred";
  }
  const sent = delivered.spec;

  for (;;) {
    try {
      await ctx.creates.acquire(ctx.submitGate.signal);
    } catch (error) {
      if (!ctx.submitGate.signal.aborted) throw error;
      ctx.jobs.setStatus(job.row_key, "pending", null);
      return "halted";
    }
    // Checked here, synchronously before the intent is written, so concurrent submissions cannot
    // all pass the check and then together overshoot the budget.
    if (
      exceeds(ctx, "budget", estimate.usd ?? 0) ||
      exceeds(ctx, "credit-budget", estimate.credits ?? 0) ||
      ledgerDiskLow(ctx)
    ) {
      ctx.jobs.setStatus(job.row_key, "pending", null);
      return "halted";
    }
    // Computed and recorded with no await in between: nothing else can take this attempt number.
    const attempt = ctx.tasks.nextAttempt(job.row_key);
    const externalId = externalTaskId(ctx.options.batchId, job.row_key, attempt);
    const task = ctx.tasks.recordIntent({
      rowKey: job.row_key,
      attempt,
      provider: ctx.provider.name,
      model: spec.model,
      externalId,
      request: ctx.provider.buildRequest(sent, externalId, ctx.options.callbacks?.urlFor(externalId)),
      estimatedCostUsd: estimate.usd ?? 0,
      estimatedCredits: estimate.credits,
      priceSource: estimate.source,
    });
    // Exactly what the ledger holds is what is sent.
    const body: unknown = JSON.parse(task.request_json);
    try {
      // Not tied to the stop signal: a create on the wire is let finish so its task ID is saved.
      const { taskId } = await ctx.provider.createTask(body, { externalId: task.external_id });
      ctx.tasks.recordSubmitted(task, taskId);
      ctx.outcome.submitted++;
      return task.id;
    } catch (error) {
      if (!isProviderError(error)) throw error;
      const result = handleRefusal(ctx, job, task, error);
      if (result === "retry-rate") {
        // A concurrency limit frees up as our own tasks finish: keep waiting while any are running.
        if (++rateLimitedTries > MAX_RATE_LIMITED_TRIES && !ctx.tasks.anyRunning())
          return defer(ctx, job, error);
        const waitMs = error.retryAfterMs ?? ctx.provider.limits.submitRate.windowMs;
        if (!error.concurrencyLimit || !ctx.tasks.anyRunning()) {
          ctx.creates.pauseFor(waitMs);
          // Refused for the rate although the limiter let it through: another run spends the key.
          if (!error.concurrencyLimit) ctx.creates.refused();
          continue;
        }
        // Too many of the account's tasks run at once: a slot comes free when one of ours finishes,
        // so try again then (one waiting create per finish), or after the wait if none finishes.
        try {
          await ctx.finishes.next(waitMs, ctx.submitGate.signal);
        } catch (waitError) {
          if (!ctx.submitGate.signal.aborted) throw waitError;
          ctx.jobs.setStatus(job.row_key, "pending", null);
          return "halted";
        }
        continue;
      }
      if (result === "retry-transient") {
        if (++transientTries >= MAX_TRANSIENT_TRIES) return defer(ctx, job, error);
        try {
          await sleep(
            calculateRetryDelay({
              attempt: transientTries,
              baseMs: ctx.settings.timings.retryBaseMs,
              capMs: ctx.settings.timings.retryCapMs,
              ...(error.retryAfterMs !== undefined ? { retryAfterMs: error.retryAfterMs } : {}),
            }),
            ctx.submitGate.signal,
          );
        } catch (sleepError) {
          if (!ctx.submitGate.signal.aborted) throw sleepError;
          ctx.jobs.setStatus(job.row_key, "pending", null);
          return "halted";
        }
        continue;
      }
      return result;
    }
  }
}

const credits = (n: number) => `${n.toLocaleString("en-US")} credits`;

/** The two budgets: --max-cost in USD, --max-credits in the provider's own unit. */
const BUDGETS = {
  budget: {
    setting: "maxCostUsd",
    max: (c: SubmitContext) => c.settings.maxCostUsd,
    spent: (c: SubmitContext) => c.options.stores.spentUsd(),
    show: formatUsd,
  },
  "credit-budget": {
    setting: "maxCredits",
    max: (c: SubmitContext) => c.settings.maxCredits,
    spent: (c: SubmitContext) => c.options.stores.spentCredits(),
    show: credits,
  },
} as const;

/** Free space the ledger's disk must keep for a create's task id (and the writes around it). */
const LEDGER_MIN_FREE_BYTES = 16 * 1024 * 1024;

/** Whether the ledger's disk is too full to record what a create would bring back; halts if so. */
function ledgerDiskLow(ctx: SubmitContext): boolean {
  const dir = ctx.settings.ledgerDir;
  if (!dir) return false;
  let free: number;
  try {
    const stats = statfsSync(dir);
    free = stats.bavail * stats.bsize;
  } catch {
    return false; // a file system that cannot say: the writes themselves will tell
  }
  if (free >= LEDGER_MIN_FREE_BYTES) return false;
  ctx.halt(
    "disk",
    `the disk holding the ledger (${dir}) is nearly full (${Math.round(free / 1048576)} MiB free): no create is sent until at least ${LEDGER_MIN_FREE_BYTES / 1048576} MiB are free`,
  );
  return true;
}

/**
 * Whether the next row would take spend past a budget; if so the run halts (no new submissions).
 * Checked synchronously before the intent is written, so concurrent submissions cannot all pass.
 */
function exceeds(ctx: SubmitContext, which: keyof typeof BUDGETS, next: number): boolean {
  const budget = BUDGETS[which];
  const max = budget.max(ctx);
  if (max === undefined) return false;
  const committed = budget.spent(ctx);
  if (committed + next <= max + 1e-9) return false;
  ctx.halt(
    which,
    `budget reached: ${budget.show(committed)} spent or committed of ${setting(budget.setting)} ${budget.show(max)}, and the next row would cost ${budget.show(next)}`,
  );
  return true;
}

function defer(ctx: SubmitContext, job: JobRow, error: ProviderError): Ended {
  const message = `not submitted: ${error.message}; it will be submitted on the next run`;
  ctx.jobs.setStatus(job.row_key, "pending", message);
  ctx.outcome.unresolved++;
  ctx.log.notice(`line ${job.line}: ${message}`);
  return "deferred";
}

function handleRefusal(
  ctx: SubmitContext,
  job: JobRow,
  task: ReturnType<BatchContext["tasks"]["recordIntent"]>,
  error: ProviderError,
): Ended | "retry-rate" | "retry-transient" {
  switch (error.kind) {
    case "unknown_outcome": {
      const message = `${error.message}. The row was not resubmitted (it may be paid already); check the provider's dashboard, then run again with ${setting("resubmitUnknown")} to submit it anyway`;
      ctx.tasks.recordUnknown(task, error.code, message);
      ctx.log.warn(
        `line ${job.line}: submission outcome unknown: ${error.message}${ctx.inbox ? "; waiting for its callback" : ""}`,
      );
      return { unknown: task.id };
    }
    case "rate_limited":
      ctx.tasks.recordRejected(task, error.code, error.message, "submitting");
      return "retry-rate";
    case "transient":
    case "not_found":
      ctx.tasks.recordRejected(task, error.code, error.message, "submitting");
      return "retry-transient";
    case "auth":
    case "credits":
    case "quota":
      ctx.tasks.recordRejected(task, error.code, error.message, "pending");
      ctx.halt(error.kind, error.message);
      return "halted";
    case "rejected": {
      const message = `the provider refused this row: ${error.message}`;
      ctx.tasks.recordRejected(task, error.code, message, "failed");
      ctx.log.notice(`line ${job.line}: failed: ${message}`);
      return "failed";
    }
  }
}
