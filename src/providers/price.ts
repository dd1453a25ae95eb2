/**
 * A price estimate and where its number comes from. Actual charges reported by a provider always
 * win over these; estimates only stand in until a charge is known. Each provider keeps its own
 * price table beside its adapter.
 */
export interface PriceEstimate {
  /** Undefined when no documented price covers the job: shown as unknown, never as $0. */
  usd?: number;
  credits?: number;
  source: string;
}

export function roundUsd(usd: number): number {
  return Math.round(usd * 1e6) / 1e6;
}
