/**
 * A text's length as the providers count it: Unicode code points (what JSON Schema's `maxLength`
 * means), not UTF-16 units — an emoji is one character, not two.
 */
export function countCharacters(text: string): number {
  let n = 0;
  for (const _ of text) n++;
  return n;
}
