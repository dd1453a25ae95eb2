import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import type { Card } from "../../src/review/review-cards.js";

export type ReportCard = Card;

/** The data a report (or the review page) renders its cards from: the JSON in its page. */
export function reportData(htmlOrPath: string): { name: string; cards: ReportCard[]; redoCommand: string } {
  const html = htmlOrPath.startsWith("<") ? htmlOrPath : readFileSync(htmlOrPath, "utf8");
  const m = /<script type="application\/json" id="data">([\s\S]*?)<\/script>/.exec(html);
  assert.ok(m?.[1], "the page carries its data");
  return JSON.parse(m[1]);
}
