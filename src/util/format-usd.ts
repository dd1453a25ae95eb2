/**
 * Dollars to the cent, the one rule everywhere money is shown: half a cent rounds up ($3.025 →
 * $3.03), whatever binary floating point made of the sum.
 */
export function formatUsd(usd: number): string {
  const cents = Math.round(Number((usd * 100).toPrecision(12)));
  return `$${(cents / 100).toFixed(2)}`;
}

/**
 * A unit price as it is: to the cent, or to the tenth of a cent when it has one ($0.275), so a
 * price table's unit × rows adds up to its subtotal.
 */
export function formatUnitUsd(usd: number): string {
  const mills = Math.round(Number((usd * 1000).toPrecision(12)));
  return mills % 10 === 0 ? formatUsd(usd) : `$${(mills / 1000).toFixed(3)}`;
}

/** Dollars to four decimals, for JSON summaries. */
export function roundUsd4(usd: number): number {
  return Math.round(usd * 10_000) / 10_000;
}
