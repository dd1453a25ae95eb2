import assert from "node:assert/strict";
import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { runBatchCli, simFor } from "../helpers/batch.js";
import { runCli } from "../helpers/cli.js";
import { queryLedger, readResults, tempDir } from "../helpers/fixtures.js";
import { assertLedgerConsistent } from "../helpers/hostile.js";
import { test } from "../helpers/leaks.js";

interface RowCase {
  name: string;
  /** The whole input; the good rows' prompts start with "Good". */
  csv: string | Buffer;
  code: number;
  /** Statuses of the result rows, in input order. */
  statuses: string[];
  /** What the invalid row's error says (line and column). */
  says?: RegExp;
  check?: (dir: string) => void;
}

const IMG = "https://static.aiquickdraw.com/tools/example/1764851002741_i0lEiI8I.png";

const CASES: RowCase[] = [
  {
    name: "a ragged row",
    csv: "prompt,id\nGood one,g1\nA lake,b1,extra,cells\n",
    code: 1,
    statuses: ["succeeded", "invalid"],
    says: /line 3, column \(row\): the row has 4 cells but the header has 2/,
  },
  {
    name: "an empty prompt",
    csv: "prompt,id\nGood one,g1\n,b1\n",
    code: 1,
    statuses: ["succeeded", "invalid"],
    says: /line 3, column prompt: the prompt is empty/,
  },
  {
    name: "duration 7",
    csv: "prompt,duration\nGood one,5\nA lake,7\n",
    code: 1,
    statuses: ["succeeded", "invalid"],
    says: /line 3, column duration/,
  },
  {
    name: "aspect ratio 4:3",
    csv: "prompt,aspect_ratio\nGood one,\nA lake,4:3\n",
    code: 1,
    statuses: ["succeeded", "invalid"],
    says: /line 3, column aspect_ratio/,
  },
  {
    name: "sound 'maybe'",
    csv: "prompt,sound\nGood one,no\nA lake,maybe\n",
    code: 1,
    statuses: ["succeeded", "invalid"],
    says: /line 3, column sound/,
  },
  ...["javascript:alert(1)", "file:///etc/passwd", "data:image/png;base64,AAAA"].map((url) => ({
    name: `a ${url.split(":")[0]}: image URL`,
    csv: `prompt,image_url\nGood one,\nA lake,${url}\n`,
    code: 1,
    statuses: ["succeeded", "invalid"],
    // A file:// URL names a local file: /etc/passwd is read, found not to be an image, never sent.
    says: /line 3, column image_url: .*(not a web address the provider can fetch|is a text file, not an image)/,
  })),
  {
    name: "a GIF image",
    csv: `prompt,image_url\nGood one,\nA lake,https://x.test/a.gif\n`,
    code: 1,
    statuses: ["succeeded", "invalid"],
    says: /line 3, column image_url: images of type \.gif/,
  },
  {
    name: "a prompt over 1000 characters",
    csv: `prompt\nGood one\n${"x".repeat(1001)}\n`,
    code: 1,
    statuses: ["succeeded", "invalid"],
    says: /line 3, column prompt: the prompt has 1001 characters; KIE's kling-2\.6 allows at most 1000/,
  },
  {
    name: "600 emoji (1,200 UTF-16 units, 600 characters)",
    csv: `prompt\nGood one\n${"🎬".repeat(600)}\n`,
    code: 0,
    statuses: ["succeeded", "succeeded"],
  },
  {
    name: "a 1 MB cell",
    csv: `prompt\nGood one\n"${"y".repeat(1_000_000)}"\n`,
    code: 1,
    statuses: ["succeeded", "invalid"],
    says: /line 3, column prompt: the prompt has 1000000 characters/,
  },
  {
    name: "a NUL in a cell",
    csv: "prompt,notes\nGood one,\nA lake,bad\u0000note\n",
    code: 1,
    statuses: ["succeeded", "invalid"],
    says: /line 3, column notes: the cell holds a NUL/,
  },
  {
    name: "ids a, a, a#line3: no row vanishes",
    csv: "id,prompt\na,Good one\na,Good two\na#line3,Good three\n",
    code: 1,
    statuses: ["succeeded", "invalid", "succeeded"],
    says: /line 3, column id: the id "a" is already used on line 2/,
  },
  {
    name: "a 200,000-character id used twice and a 200,000-character header",
    csv: `id,prompt,${"h".repeat(200_000)}\n${"i".repeat(200_000)},Good one,x\n${"i".repeat(200_000)},Good two,y\n`,
    code: 1,
    statuses: ["succeeded", "invalid"],
    says: /line 3, column id: the id "i{59}…" is already used on line 2/,
  },
  {
    name: "a path-like id",
    csv: "id,prompt\n../../etc/passwd,Good one\n",
    code: 0,
    statuses: ["succeeded"],
    check: (dir) => assert.match(readdirSync(join(dir, "in-videos")).join(), /^etc_passwd-[0-9a-f]{6}\.mp4$/),
  },
  {
    name: "Windows device names and ids differing in case",
    csv: "id,prompt\ncon,Good one\nClip,Good two\nclip,Good three\n",
    code: 0,
    statuses: ["succeeded", "succeeded", "succeeded"],
    check: (dir) => {
      const names = readdirSync(join(dir, "in-videos"));
      assert.equal(names.length, 3);
      assert.ok(!names.includes("con.mp4"), names.join());
      assert.equal(new Set(names.map((n) => n.toLowerCase())).size, 3, "no two names differ only in case");
    },
  },
  {
    name: "formula-like cells",
    csv: 'prompt,notes\nGood one,"=HYPERLINK(""http://x"")"\n',
    code: 0,
    statuses: ["succeeded"],
    check: (dir) =>
      assert.equal(readResults(join(dir, "in.results.csv"))[0]?.notes, '=HYPERLINK("http://x")'),
  },
  {
    name: "CR-only line endings",
    csv: "prompt,id\rGood one,g1\rGood two,g2\r",
    code: 0,
    statuses: ["succeeded", "succeeded"],
  },
  {
    name: "CRLF and a quoted multi-line cell",
    csv: 'prompt,id\r\n"Good one\r\nsecond line",g1\r\nGood two,g2\r\n',
    code: 0,
    statuses: ["succeeded", "succeeded"],
  },
  {
    name: "semicolons and a UTF-8 BOM",
    csv: "\uFEFFprompt;id\nGood one;g1\nGood two;g2\n",
    code: 0,
    statuses: ["succeeded", "succeeded"],
  },
  {
    name: "an image URL with spaces",
    csv: `prompt,image_url\nGood one,${IMG.replace(".png", " copy.png")}\n`,
    code: 0,
    statuses: ["succeeded"],
    check: (dir) => {
      const [task] = queryLedger<{ request_json: string }>(
        join(dir, "in.ledger.db"),
        "SELECT request_json FROM tasks",
      );
      assert.match(task?.request_json ?? "", /%20copy\.png/);
    },
  },
  {
    name: "HTML in a prompt",
    csv: 'prompt\n"Good <script>alert(1)</script> one"\n',
    code: 0,
    statuses: ["succeeded"],
    check: (dir) => {
      const html = readFileSync(join(dir, "in.report.html"), "utf8");
      assert.ok(!html.includes("<script>alert(1)</script>"), "escaped in the report");
    },
  },
];

test("hostile rows: each bad row is reported with line and column, the other rows go on, the ledger stays consistent", {
  timeout: 300_000,
}, async (t) => {
  const sim = await simFor(t, { genTimeMs: 100 });
  for (const c of CASES) {
    const dir = tempDir(t);
    writeFileSync(join(dir, "in.csv"), c.csv);
    const run = await runBatchCli(dir, join(dir, "in.csv"), sim);
    assert.equal(run.code, c.code, `${c.name}: ${run.stderr.slice(0, 500)}`);
    const rows = readResults(join(dir, "in.results.csv"));
    assert.deepEqual(
      rows.map((r) => r.status),
      c.statuses,
      `${c.name}: ${rows
        .map((r) => r.error)
        .join(" | ")
        .slice(0, 300)}`,
    );
    if (c.says) {
      assert.match(run.stderr, c.says, c.name);
      assert.ok(
        rows.some((r) => c.says?.test(r.error ?? "")),
        `${c.name}: the error column says it too`,
      );
    }
    assert.ok(run.stderr.length < 20_000, `${c.name}: the log is short (${run.stderr.length} characters)`);
    assertLedgerConsistent(join(dir, "in.ledger.db"));
    if (c.name === "HTML in a prompt") await runCli(["report", "in.csv"], { cwd: dir });
    c.check?.(dir);
  }
  assert.ok(CASES.length >= 20);
});
