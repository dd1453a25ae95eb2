const TRUE_WORDS = new Set(["true", "yes", "y", "1", "on", "sound", "audio", "with sound"]);
const FALSE_WORDS = new Set(["false", "no", "n", "0", "off", "silent", "none", "mute", "muted"]);

/** Yes or no as people write it in a spreadsheet; undefined when the text means neither. */
export function parseBoolean(text: string): boolean | undefined {
  const v = text.trim().toLowerCase();
  if (TRUE_WORDS.has(v)) return true;
  if (FALSE_WORDS.has(v)) return false;
  return undefined;
}
