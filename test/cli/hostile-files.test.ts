import assert from "node:assert/strict";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { KEY, runArgs, simFor } from "../helpers/batch.js";
import { runCli } from "../helpers/cli.js";
import { tempDir } from "../helpers/fixtures.js";
import { assertLedgerConsistent } from "../helpers/hostile.js";
import { test } from "../helpers/leaks.js";

interface FileCase {
  name: string;
  /** The input file's bytes (written to in.csv), or a setup of the folder. */
  input?: string | Buffer;
  setup?: (dir: string) => void;
  /** Flags after the run's own (simulator, fast polls); `{input}` is the input's path. */
  args?: string[];
  /** Replaces the base URL the run would use. */
  baseUrl?: string;
  code: number;
  /** The stable error code shown on stderr. */
  error: string;
  /** What the message must say (line numbers where there is one). */
  says?: RegExp;
}

const GOOD = "prompt\nA calm lake\n";
const utf16 = (text: string, le: boolean, bom: boolean) => {
  const body = Buffer.from(text, "utf16le");
  if (!le) body.swap16();
  return Buffer.concat([bom ? Buffer.from(le ? [0xff, 0xfe] : [0xfe, 0xff]) : Buffer.alloc(0), body]);
};
const binary = Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 7919) % 256));

const CASES: FileCase[] = [
  { name: "an empty file", input: "", code: 2, error: "INPUT_EMPTY" },
  { name: "blank lines only", input: "\n \n\t\n", code: 2, error: "INPUT_EMPTY" },
  {
    name: "a header and no rows",
    input: "prompt,id\n",
    code: 2,
    error: "INPUT_EMPTY",
    says: /header but no rows/,
  },
  { name: "binary garbage", input: binary, code: 2, error: "INPUT_ENCODING" },
  {
    name: "UTF-16 LE with a BOM",
    input: utf16(GOOD, true, true),
    code: 2,
    error: "INPUT_ENCODING",
    says: /UTF-16/,
  },
  { name: "UTF-16 BE with a BOM", input: utf16(GOOD, false, true), code: 2, error: "INPUT_ENCODING" },
  {
    name: "UTF-16 without a BOM",
    input: utf16(GOOD, true, false),
    code: 2,
    error: "INPUT_ENCODING",
    says: /UTF-16/,
  },
  {
    name: "Windows-1252 accents",
    input: Buffer.concat([
      Buffer.from("prompt\nA calm lake\nUn caf"),
      Buffer.from([0xe9]),
      Buffer.from(" au soleil\n"),
    ]),
    code: 2,
    error: "INPUT_ENCODING",
    says: /line 3 has a byte that is not UTF-8.*CSV UTF-8/,
  },
  {
    name: "an unterminated quote",
    input: 'prompt,id\n"A lake,1\nA street,2\n',
    code: 2,
    error: "INPUT_MALFORMED",
    says: /near line \d+/,
  },
  {
    name: "no prompt column",
    input: "text_x,id\nA,1\n",
    code: 2,
    error: "INPUT_NO_PROMPT",
    says: /"text_x", "id"/,
  },
  {
    name: "a 50,000-column header without a prompt",
    input: `${Array.from({ length: 50_000 }, (_, i) => `column_${i}`).join(",")}\n${"x,".repeat(49_999)}x\n`,
    code: 2,
    error: "INPUT_NO_PROMPT",
    says: /and 49988 more/,
  },
  {
    name: "the input is a folder",
    setup: (dir) => mkdirSync(join(dir, "in.csv")),
    code: 2,
    error: "INPUT_UNREADABLE",
    says: /is a folder/,
  },
  {
    name: "the input does not exist",
    setup: () => undefined,
    code: 2,
    error: "INPUT_UNREADABLE",
    says: /does not exist/,
  },
  {
    name: "--out is a folder",
    input: GOOD,
    setup: (dir) => mkdirSync(join(dir, "results")),
    args: ["--out", "results"],
    code: 2,
    error: "OUTPUT_UNWRITABLE",
    says: /is a folder/,
  },
  {
    name: "--out is the input itself",
    input: GOOD,
    args: ["--out", "in.csv"],
    code: 2,
    error: "OUTPUT_UNWRITABLE",
    says: /input file itself/,
  },
  {
    name: "--videos-dir below a regular file",
    input: GOOD,
    setup: (dir) => writeFileSync(join(dir, "afile"), "x"),
    args: ["--videos-dir", "afile/videos"],
    code: 2,
    error: "OUTPUT_UNWRITABLE",
    says: /a file stands in the way/,
  },
  {
    name: "--base-url that is not a URL",
    input: GOOD,
    baseUrl: "not a url",
    code: 2,
    error: "USAGE",
    says: /is not a URL/,
  },
  {
    name: "--base-url ftp://",
    input: GOOD,
    baseUrl: "ftp://127.0.0.1/",
    code: 2,
    error: "USAGE",
    says: /https/,
  },
  {
    name: "--base-url over plain http to another machine",
    input: GOOD,
    baseUrl: "http://example.com",
    code: 2,
    error: "CONFIG_INSECURE_URL",
    says: /clear text.*--allow-insecure-http/,
  },
  {
    name: "--concurrency -1",
    input: GOOD,
    args: ["--concurrency", "-1"],
    code: 2,
    error: "USAGE",
    says: /--concurrency/,
  },
  { name: "--duration 20", input: GOOD, args: ["--duration", "20"], code: 2, error: "USAGE" },
  {
    name: "--max-video-mb 0",
    input: GOOD,
    args: ["--max-video-mb", "0"],
    code: 2,
    error: "USAGE",
    says: /--max-video-mb/,
  },
  {
    name: "--submit-rate fast",
    input: GOOD,
    args: ["--submit-rate", "fast"],
    code: 2,
    error: "USAGE",
    says: /20\/10s/,
  },
];

test("hostile files and flags: each is refused before anything is sent, with its code and a short message", {
  timeout: 240_000,
}, async (t) => {
  const sim = await simFor(t, { genTimeMs: 100 });
  for (const c of CASES) {
    const dir = tempDir(t);
    const input = join(dir, "in.csv");
    if (c.input !== undefined) writeFileSync(input, c.input);
    c.setup?.(dir);
    const args = runArgs(input, sim, c.args ?? []);
    if (c.baseUrl !== undefined) args[args.indexOf("--base-url") + 1] = c.baseUrl;
    const before = sim.stats.counters.get("requests") ?? 0;
    const run = await runCli(args, { cwd: dir, env: { KIE_API_KEY: KEY } });
    assert.equal(run.code, c.code, `${c.name}: ${run.stderr.slice(0, 500)}`);
    assert.match(run.stderr, new RegExp(`vidbatch \\[${c.error}\\]`), c.name);
    if (c.says) assert.match(run.stderr, c.says, c.name);
    assert.ok(run.stderr.length < 6000, `${c.name}: the message is short (${run.stderr.length} characters)`);
    assert.ok(!run.stderr.includes("\u0000"), `${c.name}: no NUL reaches the terminal`);
    assert.ok(!/at .*\.js:\d+/.test(run.stderr), `${c.name}: no stack trace`);
    assert.equal(sim.stats.submissions, 0, `${c.name}: nothing was submitted`);
    if (c.error !== "OUTPUT_UNWRITABLE" && c.baseUrl === undefined)
      assert.ok(
        (sim.stats.counters.get("requests") ?? 0) - before <= 1,
        `${c.name}: at most the balance was asked`,
      );
    assertLedgerConsistent(join(dir, "in.ledger.db"));
    if (c.args?.includes("in.csv") && c.input !== undefined)
      assert.deepEqual(readFileSync(input), Buffer.from(c.input), `${c.name}: the input is untouched`);
    if (c.name.startsWith("--videos-dir")) assert.equal(existsSync(join(dir, "in.results.csv")), false);
  }
  assert.ok(CASES.length >= 20);
});
