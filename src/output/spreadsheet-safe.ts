/**
 * Spreadsheet apps run a cell that starts with = + - @ (or a tab/CR before one) as a formula. Text
 * that a provider controls (error messages, URLs, task ids) is prefixed with an apostrophe so it
 * can never become a live formula (OWASP "CSV injection"). The user's own cells are left as typed.
 */
export function neutralizeFormula(text: string): string {
  return /^[=+\-@\t\r]/.test(text) ? `'${text}` : text;
}
