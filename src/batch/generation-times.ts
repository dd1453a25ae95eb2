/**
 * How long generations take, learned from the tasks this run saw finish: per kind of job (model,
 * duration, sound), the most recent finish times. A task's end is taken as the middle of the gap
 * between the poll that last saw it running and the one that saw it done, so the estimate is not
 * pushed later by the polling itself.
 */
export class GenerationTimes {
  private readonly samples = new Map<string, number[]>();
  /** The answer of expected() per kind, until a new sample comes (it is read on every poll). */
  private readonly cached = new Map<string, { early: number; median: number }>();
  private readonly longestRunning = new Map<string, number>();

  constructor(
    /** Samples needed before a kind is trusted. */
    private readonly minSamples = 4,
    /** Most recent samples kept per kind (the model's speed drifts over a night). */
    private readonly keep = 100,
  ) {}

  record(kind: string, ms: number): void {
    if (!(ms > 0)) return;
    const list = this.samples.get(kind) ?? [];
    list.push(ms);
    if (list.length > this.keep) list.shift();
    this.samples.set(kind, list);
    this.cached.delete(kind);
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
