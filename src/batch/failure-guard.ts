/** Stop submitting when too many of this run's rows fail (`--halt-on-failures`). */
export interface FailureHalt {
  /** The share of finished rows (0 to 1) that, once passed, stops new submissions. */
  share: number;
  /** Rows that must have finished before the share is judged. */
  minFinished: number;
}

/**
 * Counts this run's finished rows and their failures, and says when the share of failures passes
 * the threshold (once at least `minFinished` rows have finished), naming the commonest reason: a
 * dead image host or a prompt template that trips the filter should not burn a 2,000-row sheet.
 */
export function createFailureGuard(halt: FailureHalt | undefined) {
  let finished = 0;
  let failed = 0;
  const reasons = new Map<string, number>();
  /** One reason per kind: line numbers and ids removed, so the same fault counts as one. */
  const kindOf = (reason: string) =>
    reason
      .replace(/\bline \d+\b/g, "line N")
      .replace(/\b[0-9a-f]{12,}\b/gi, "…")
      .slice(0, 200);
  return {
    /** Records a row's end; returns why to stop submitting, once the threshold is passed. */
    record(outcome: "succeeded" | "failed", reason?: string): string | undefined {
      finished++;
      if (outcome === "failed") {
        failed++;
        const kind = kindOf(reason ?? "no reason given");
        reasons.set(kind, (reasons.get(kind) ?? 0) + 1);
      }
      if (!halt || finished < halt.minFinished || failed / finished <= halt.share) return undefined;
      const [commonest, count] = [...reasons.entries()].sort((a, b) => b[1] - a[1])[0] ?? ["", 0];
      return `${failed} of the ${finished} rows that finished in this run failed (${Math.round((failed * 100) / finished)}%, more than ${Math.round(halt.share * 100)}%); the commonest error (${count}): ${commonest}. Fix its cause, then run again`;
    },
  };
}
