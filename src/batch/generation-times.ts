/** What is known of how long one kind of job takes: its usual range, median, and the share done by an age. */
export interface GenerationDistribution {
  /** The earliest usual end (about the 2nd percentile, widened while few are known). */
  early: number;
  median: number;
  /** The latest usual end (about the 98th percentile, widened while few are known). */
  late: number;
  /** The share of such tasks finished by this age (0 before `early`, 1 after `late`). */
  cdf(ageMs: number): number;
  samples: number;
}

/**
 * How long generations take, per kind of job (model, duration, sound, mode): the most recent finish
 * times, from this run and (seeded from the ledger) earlier runs. A task's end is taken as the middle
 * of the gap between the poll that last saw it running and the one that saw it done, so the
 * estimate is not pushed later by the polling itself.
 */
export class GenerationTimes {
  private readonly samples = new Map<string, number[]>();
  /** The answer of expected() per kind, until a new sample comes (it is read on every poll). */
  private readonly cached = new Map<string, { early: number; median: number }>();
  private readonly distributions = new Map<string, GenerationDistribution>();
  private readonly longestRunning = new Map<string, number>();
  /** Per kind: how many of the samples (the oldest) came from earlier runs, this run's own, and its strays. */
  private readonly seeded = new Map<string, number>();
  private readonly own = new Map<string, number>();
  private readonly strays = new Map<string, number>();

  constructor(
    /** Samples needed before a kind is trusted. */
    private readonly minSamples = 4,
    /** Most recent samples kept per kind (the model's speed drifts over a night). */
    private readonly keep = 100,
  ) {}

  /**
   * A finish this run measured. Earlier runs' times that this run contradicts (two of its own
   * finishes outside their usual range by a quarter: the model got faster or slower) are dropped.
   */
  record(kind: string, ms: number): void {
    if (!(ms > 0)) return;
    const seeded = this.seeded.get(kind) ?? 0;
    const known = seeded > 0 ? this.distribution(kind) : undefined;
    if (known && (ms < known.early * 0.75 || ms > known.late * 1.25)) {
      const strays = (this.strays.get(kind) ?? 0) + 1;
      this.strays.set(kind, strays);
      if (strays >= 2) {
        this.samples.set(kind, (this.samples.get(kind) ?? []).slice(seeded));
        this.seeded.set(kind, 0);
      }
    }
    this.own.set(kind, (this.own.get(kind) ?? 0) + 1);
    this.add(kind, ms);
  }

  /** Samples of earlier runs (oldest first), before this run records its own. */
  seed(kind: string, ms: readonly number[]): void {
    for (const m of ms) this.add(kind, m);
    this.seeded.set(kind, Math.min(this.keep, (this.seeded.get(kind) ?? 0) + ms.length));
  }

  /** Whether this run has seen a task of this kind finish (not only earlier runs). */
  seenThisRun(kind: string): boolean {
    return (this.own.get(kind) ?? 0) > 0;
  }

  private add(kind: string, ms: number): void {
    const list = this.samples.get(kind) ?? [];
    list.push(ms);
    if (list.length > this.keep) {
      list.shift();
      const seeded = this.seeded.get(kind) ?? 0;
      if (seeded > 0) this.seeded.set(kind, seeded - 1);
    }
    this.samples.set(kind, list);
    this.cached.delete(kind);
    this.distributions.delete(kind);
  }

  /** Every kind with what is known of it: for saying what the schedule believes. */
  kinds(): { kind: string; distribution: GenerationDistribution | undefined; samples: number }[] {
    return [...this.samples].map(([kind, list]) => ({
      kind,
      distribution: this.distribution(kind),
      samples: list.length,
    }));
  }

  /**
   * The distribution of a kind's generation times, from its first finish on: an empirical CDF
   * through the samples, its ends widened while the samples are few — by a quarter of the median
   * until `minSamples` are known (one finish does not show the spread), by 4% until twenty are.
   */
  distribution(kind: string): GenerationDistribution | undefined {
    const hit = this.distributions.get(kind);
    if (hit) return hit;
    const list = this.samples.get(kind);
    if (!list || list.length === 0) return undefined;
    const all = [...list].sort((a, b) => a - b);
    const middle = all[Math.floor(all.length / 2)] as number;
    // A stray measure (a half or a double of the rest) does not stretch the usual range.
    const kept = all.filter((ms) => ms >= middle / 2 && ms <= middle * 2);
    const sorted = kept.length >= Math.min(4, all.length) ? kept : all;
    const n = sorted.length;
    const at = (q: number) => sorted[Math.min(n - 1, Math.floor(q * n))] as number;
    const median = at(0.5);
    const widen = (n < this.minSamples ? 0.25 : n < 20 ? 0.04 : 0) * median;
    const early = Math.max(0, at(0.02) - widen);
    const late = at(0.98) + widen;
    const points = [
      [early, 0] as const,
      ...sorted.map((ms, i) => [ms, (i + 0.5) / n] as const).filter(([ms]) => ms > early && ms < late),
      [late, 1] as const,
    ];
    const cdf = (age: number) => {
      if (age <= early) return 0;
      if (age >= late) return 1;
      // The first point at or past this age (binary search: read on every poll of every task).
      let lo = 1;
      let hi = points.length - 1;
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if ((points[mid] as readonly [number, number])[0] < age) lo = mid + 1;
        else hi = mid;
      }
      const i = lo;
      const [x0, y0] = points[i - 1] as readonly [number, number];
      const [x1, y1] = points[i] as readonly [number, number];
      return x1 > x0 ? y0 + ((y1 - y0) * (age - x0)) / (x1 - x0) : y1;
    };
    const answer = { early, median, late, cdf, samples: n };
    this.distributions.set(kind, answer);
    return answer;
  }

  /** A task of this kind was still running at this age. */
  recordRunning(kind: string, ageMs: number): void {
    if (ageMs > (this.longestRunning.get(kind) ?? 0)) this.longestRunning.set(kind, ageMs);
  }

  /**
   * Before any of a kind has finished: the age below which checking a task of that kind is
   * pointless, half the age at which another one was still running (generation times of one kind
   * are alike; half leaves room for a wide spread). Only the first tasks ramp up one by one.
   */
  notBefore(kind: string): number {
    return (this.longestRunning.get(kind) ?? 0) / 2;
  }

  /** The 20th percentile and the median of what was seen, once enough was seen. */
  expected(kind: string): { early: number; median: number } | undefined {
    const hit = this.cached.get(kind);
    if (hit) return hit;
    const list = this.samples.get(kind);
    if (!list || list.length < this.minSamples) return undefined;
    const sorted = [...list].sort((a, b) => a - b);
    const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] as number;
    const answer = { early: at(0.2), median: at(0.5) };
    this.cached.set(kind, answer);
    return answer;
  }
}
