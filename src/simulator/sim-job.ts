import type { SimContext } from "./sim-context.js";

/** One generation in the simulator, whichever API started it. */
export interface SimJob {
  prompt: string;
  createdAt: number;
  genMs: number;
  fails: boolean;
  /** The failure is the content policy's (the prompt holds the fail marker), not bad luck. */
  policy: boolean;
  /** What the account was charged, in the provider's unit; refunded if the generation fails. */
  cost: number;
  refunded: boolean;
  seenDone: boolean;
}

export type SimPhase = "running" | "succeeded" | "failed";

const cents = (n: number) => Math.round(n * 100) / 100;

/**
 * The task lifecycle all three simulated APIs share: generation takes the mean time ± jitter, a
 * prompt with the fail marker (or bad luck at `failRate`) fails, the charge is taken at creation
 * and given back once if the generation fails. The caller has checked the balance.
 */
export function startSimJob(
  ctx: SimContext,
  id: string,
  prompt: string,
  cost: number,
  now = Date.now(),
): SimJob {
  const opts = ctx.options();
  const jitter = 1 + (ctx.random() * 2 - 1) * opts.genJitter;
  const policy = prompt.includes(opts.failMarker);
  const fails = policy || ctx.random() < opts.failRate;
  ctx.credits.balance = cents(ctx.credits.balance - cost);
  ctx.stats.submission(prompt);
  const job: SimJob = {
    prompt,
    createdAt: now,
    genMs: Math.max(50, opts.genTimeMs * jitter),
    fails,
    policy,
    cost,
    refunded: false,
    seenDone: false,
  };
  // A failed generation is given back (when it is seen or not): only a good one is a charge.
  ctx.stats.tasks.set(id, { prompt, charged: () => !job.fails, createdAt: now, readyAt: readyAt(job) });
  return job;
}

/** How far along the generation is: 0 at creation, 1 when it ends. */
export function progressOf(job: SimJob, now: number): number {
  return (now - job.createdAt) / job.genMs;
}

export function readyAt(job: SimJob): number {
  return job.createdAt + Math.ceil(job.genMs); // never before progressOf reaches 1
}

/**
 * A status check of the job: once it has ended, a failure is refunded (once), and the first check
 * that sees it ended records how late the client noticed (`<api>.doneSeen`, `<api>.doneSeenLagMs`).
 * A callback being built (`seen` false) settles the job but is not the client noticing.
 */
export function observeSimJob(ctx: SimContext, api: string, job: SimJob, now: number, seen = true): SimPhase {
  if (progressOf(job, now) < 1) return "running";
  if (job.fails && !job.refunded) {
    job.refunded = true; // failed tasks consume nothing
    ctx.credits.balance = cents(ctx.credits.balance + job.cost);
  }
  if (seen && !job.seenDone) {
    job.seenDone = true;
    ctx.stats.count(`${api}.doneSeen`);
    ctx.stats.count(`${api}.doneSeenLagMs`, now - readyAt(job));
  }
  return job.fails ? "failed" : "succeeded";
}
