import type { GenerationDistribution, GenerationTimes } from "./generation-times.js";

/** What the planner is told of the provider's status budget and the run's bounds. */
export interface PollBudget {
  /** Status calls a second the run may spend (the provider's rate with headroom); undefined: not limited (batched queries). */
  callsPerSecond: number | undefined;
  /** Shortest gap between two checks of one task (--poll-interval). */
  floorMs: number;
  /** Longest gap between two checks of one task (unless the floor is longer). */
  maxGapMs: number;
}

/** The share of the provider's documented status rate the planner spends: the rest is headroom. */
export const BUDGET_SHARE = 0.95;
/** The gap aimed at between two checks of a task inside its finish window, as a share of the median generation time. */
export const LAG_GAP = 0.07;

interface Followed {
  kind: string;
  startedAt: number;
}

/**
 * Decides when each running task is checked, spending the provider's status budget where a finish is
 * most likely (issue: "notice every finish at once").
 *
 * - A kind of job whose generation times are known (GenerationTimes: this run's and earlier runs'
 *   finishes) is not checked before its earliest usual end; inside its finish window every 8% of
 *   the median time (a finish is then noticed 4% of a generation time late, in the median); past the
 *   usual range, more sparsely.
 * - The gap is never shorter than the budget allows for the tasks inside their windows together
 *   (n tasks in the window, B calls a second: n / B), nor shorter than --poll-interval, nor longer
 *   than the longest gap: with many tasks the budget is shared, with few each is checked often.
 * - When checks queue for the budget, `priority` orders them by the chance that the task finished
 *   since its last check (the conditional probability from the learned distribution), so the calls
 *   go where they pay rather than first come first served.
 * - A kind not yet known ramps up: a check at an eighth of the task's age (at least the floor), and
 *   none before half the age at which another task of the kind was still running.
 */
export class PollPlanner {
  private readonly followed = new Map<number, Followed>();

  constructor(
    private readonly times: GenerationTimes,
    private readonly budget: PollBudget,
  ) {}

  follow(id: number, kind: string, startedAt: number): void {
    this.followed.set(id, { kind, startedAt });
  }

  forget(id: number): void {
    this.followed.delete(id);
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
    const share = batched ? 0 : this.shareGap(now);
    const known = this.times.distribution(kind);
    if (!known) {
      const notBefore = this.times.notBefore(kind);
      if (ageMs < notBefore) return Math.max(floorMs, Math.round(notBefore - ageMs));
      return Math.round(Math.min(maxMs, Math.max(floorMs, share, ageMs / 8)) * (1 + random() * 0.1));
    }
    const gap = Math.min(maxMs, Math.max(floorMs, share, LAG_GAP * known.median));
    // The first check half a gap before the earliest usual end: an early finish is not missed by a whole gap.
    const first = known.early - gap / 2;
    if (ageMs < first) return Math.max(floorMs, Math.round(first - ageMs));
    // Past the usual range (a straggler), more sparsely: a tenth of its age.
    const late = ageMs > known.late + gap ? Math.min(maxMs, Math.max(gap, ageMs / 10)) : gap;
    return Math.round(late * (1 + random() * 0.05));
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

  /** The shortest gap the budget allows when every task inside its finish window is checked that often. */
  private shareGap(now: number): number {
    const perSecond = this.budget.callsPerSecond;
    if (perSecond === undefined) return 0;
    let inWindow = 0;
    for (const task of this.followed.values()) {
      const known = this.times.distribution(task.kind);
      const age = now - task.startedAt;
      if (!known || age >= known.early * 0.9) inWindow++;
    }
    return (inWindow * 1000) / (perSecond * BUDGET_SHARE);
  }
}

/** What the schedule believes of a kind of job, in words for --verbose. */
export function describeKind(kind: string, known: GenerationDistribution): string {
  const [model, duration, sound, mode] = kind.split("|");
  const what = [model, duration ? `${duration} s` : "", sound, mode].filter(Boolean).join(", ");
  const s = (ms: number) => `${(ms / 1000).toFixed(ms < 10_000 ? 1 : 0)} s`;
  return `${what}: generations take ${s(known.median)} in the median, ${s(known.early)} to ${s(known.late)} (${known.samples} measured); checks go to each task from ${s(known.early)} on`;
}
