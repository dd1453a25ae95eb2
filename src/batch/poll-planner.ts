import type { GenerationDistribution, GenerationTimes } from "./generation-times.js";

/** What the planner is told of the provider's status budget and the run's bounds. */
export interface PollBudget {
  /** Status calls a second the run may spend now (the limiter's allowance); undefined: not limited. */
  callsPerSecond: (() => number) | undefined;
  /** Shortest gap between two checks of one task (--poll-interval). */
  floorMs: number;
  /** Longest gap between two checks of one task (unless the floor is longer). */
  maxGapMs: number;
}

/**
 * How far the gaps shrink when the budget has room to spare (few tasks in flight): to half. The
 * lag then falls toward the provider's own limit where it costs most — a concurrency-bound run's
 * slots stand idle until a finish is noticed — for at most twice the calls.
 */
const MIN_PRESSURE = 0.5;

/** The share of the provider's documented status rate the planner spends: the rest is headroom. */
export const BUDGET_SHARE = 0.95;
/**
 * The gap between two checks of a task at the start of its finish window, as a share of the median
 * generation time m. The gap narrows as the task outlives its kind (× √ the share of such tasks
 * still running): sparse while most are still running, dense where the last ones end — for a wide
 * spread, the same median notice lag (4–5 % of a generation) for fewer calls than a fixed gap. It is
 * never more than half the finish window, so a narrow spread (±5 %) is still checked twice in it.
 */
export const WINDOW_GAP = 0.13;

/**
 * A task's gap at this age before the budget's pressure: WINDOW_GAP × its shape inside the usual
 * range; past it (a straggler), a third of how far past it is; between --poll-interval and the
 * longest gap.
 */
function gapOf(known: GenerationDistribution, age: number, budget: PollBudget): number {
  const maxMs = Math.max(budget.maxGapMs, budget.floorMs);
  const inWindow = Math.max(budget.floorMs, WINDOW_GAP * shapeOf(known, age));
  const past = age > known.late + WINDOW_GAP * shapeOf(known, known.early);
  return Math.min(maxMs, past ? Math.max(inWindow, (age - known.late) / 3) : inWindow);
}

/** The gap's shape at this age before the budget's scale: m × √(share still running), in ms. */
function shapeOf(known: GenerationDistribution, age: number): number {
  const alive = Math.max(0.05, 1 - known.cdf(age));
  return Math.min(known.median * Math.sqrt(alive), (known.late - known.early) / (2 * WINDOW_GAP));
}

interface Followed {
  kind: string;
  startedAt: number;
  /** Its checks take the budget (not a batched query, not a task waiting for its callback). */
  spends: boolean;
}

/**
 * Decides when each running task is checked, spending the provider's status budget where a finish is
 * most likely.
 *
 * - A kind of job whose generation times are known (GenerationTimes: this run's finishes from the
 *   first one, and earlier runs' from the ledger) is not checked before its earliest usual end;
 *   inside its finish window at a gap of 13 % of the median time × √(the share of such tasks still
 *   running), at most half the window (see WINDOW_GAP); past the usual range, a third of how far past it is.
 * - When the tasks inside their windows would together check more often than 95 % of the budget
 *   allows, every gap widens by the same factor; with room to spare, gaps shrink, to half at most:
 *   with many tasks the budget is shared, with few each is checked often (never more often than
 *   --poll-interval).
 * - When checks queue for the budget, `priority` orders them by the chance that the task finished
 *   since its last check (the conditional probability from the learned distribution), so the calls
 *   go where they pay rather than first come first served.
 * - A kind not yet seen finishing ramps up: a check at an eighth of the task's age (at least the
 *   floor), and none before half the age at which another task of the kind was still running.
 */
export class PollPlanner {
  private readonly followed = new Map<number, Followed>();
  private pressed: { at: number; value: number } | undefined;

  constructor(
    private readonly times: GenerationTimes,
    private readonly budget: PollBudget,
  ) {}

  /**
   * A task to plan for. `spends: false` for a task whose checks take none of the budget (a batched
   * query) or that waits for its callback (checked only as a safety net): it does not press on the others.
   */
  follow(id: number, kind: string, startedAt: number, spends = true): void {
    this.followed.set(id, { kind, startedAt, spends });
    this.pressed = undefined;
  }

  forget(id: number): void {
    this.followed.delete(id);
    this.pressed = undefined;
  }

  /** How long to wait before the next check of a task of `kind` that is `ageMs` old. */
  delay(
    kind: string,
    ageMs: number,
    now: number,
    random: () => number = Math.random,
    batched = false,
  ): number {
    const { floorMs } = this.budget;
    const maxMs = Math.max(this.budget.maxGapMs, floorMs);
    // A batched query costs the budget nothing a task: as much room as there can be.
    const pressure = batched ? MIN_PRESSURE : this.pressure(now);
    const spread = (ms: number, share: number) => Math.min(maxMs, Math.round(ms * (1 + random() * share)));
    const known = this.times.distribution(kind);
    if (!known) {
      const notBefore = this.times.notBefore(kind);
      if (ageMs < notBefore) return Math.max(floorMs, Math.round(notBefore - ageMs));
      // The ramp is quick enough already: room to spare does not shorten it.
      return spread(Math.max(floorMs, ageMs / 8) * Math.max(1, pressure), 0.1);
    }
    const own = gapOf(known, ageMs, this.budget);
    // The first check half a gap (the gap the budget would give alone) before the earliest usual end.
    let first = known.early - gapOf(known, known.early, this.budget) / 2;
    // Known only from earlier runs: one probe early on, in case this run's jobs are faster.
    if (!this.times.seenThisRun(kind)) first = Math.min(first, Math.max(floorMs, known.early / 4));
    if (ageMs < first) return Math.max(floorMs, Math.round(first - ageMs));
    return spread(Math.min(maxMs, own * pressure), 0.05);
  }

  /**
   * The chance that a task of `kind` finished between its last check (at `lastAgeMs`) and now
   * (`ageMs`), given it was running then: what orders checks that wait for the budget.
   */
  priority(kind: string, ageMs: number, lastAgeMs: number): number {
    const known = this.times.distribution(kind);
    if (!known) return 0.25;
    const before = known.cdf(lastAgeMs);
    if (before >= 1) return 1;
    return Math.max(0, Math.min(1, (known.cdf(ageMs) - before) / (1 - before)));
  }

  /**
   * How much every gap must widen for the tasks being followed to stay within 95 % of the budget
   * together (1: they fit). Each is counted at the rate its gap gives it: a task inside its finish
   * window every WINDOW_GAP × its shape, a task of a kind not known yet every eighth of its age.
   */
  private pressure(now: number): number {
    const perSecond = this.budget.callsPerSecond?.();
    if (perSecond === undefined) return 1;
    // Worked out at most four times a second: it reads every task followed (thousands, in a big run).
    if (this.pressed && now - this.pressed.at < 250 && now >= this.pressed.at) return this.pressed.value;
    const value = this.measurePressure(now, perSecond);
    this.pressed = { at: now, value };
    return value;
  }

  private measurePressure(now: number, perSecond: number): number {
    const { floorMs } = this.budget;
    let demand = 0;
    for (const task of this.followed.values()) {
      if (!task.spends) continue;
      const known = this.times.distribution(task.kind);
      const age = now - task.startedAt;
      if (!known) {
        if (age >= this.times.notBefore(task.kind)) demand += 1000 / Math.max(floorMs, age / 8);
      } else if (age >= known.early * 0.9) demand += 1000 / gapOf(known, age, this.budget);
    }
    // Room to spare: gaps shrink, down to half (a freed slot is refilled sooner); short of it: they widen.
    return Math.max(MIN_PRESSURE, demand / (perSecond * BUDGET_SHARE));
  }
}

/** What the schedule believes of a kind of job, in words for --verbose. */
export function describeKind(kind: string, known: GenerationDistribution): string {
  const [model, duration, sound, mode, resolution, image] = kind.split("|");
  const what = [
    model?.replace(/^[^:]*:/, ""),
    duration ? `${duration} s` : "",
    sound,
    mode,
    resolution,
    image ? "from an image" : "",
  ]
    .filter(Boolean)
    .join(", ");
  const s = (ms: number) => `${(ms / 1000).toFixed(ms < 10_000 ? 1 : 0)} s`;
  return `${what}: generations take ${s(known.median)} in the median, ${s(known.early)} to ${s(known.late)} (${known.samples} measured)`;
}
