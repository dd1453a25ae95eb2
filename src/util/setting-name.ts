/**
 * How a message below the CLI names a setting: its name in the settings object, in backticks
 * (`maxCostUsd`, `paths.ledger`). A library caller reads the name it set; the CLI rewrites each to
 * the flag that sets it (cli/flag-words.ts), so every layer speaks its own vocabulary.
 */
export function setting(name: string): string {
  return `\`${name}\``;
}
