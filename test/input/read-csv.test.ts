import assert from "node:assert/strict";
import { detectDelimiter, openCsv } from "../../src/input/read-csv.js";
import { tempDir, writeCsv } from "../helpers/fixtures.js";
import { test } from "../helpers/leaks.js";

async function readAll(path: string) {
  const { delimiter, records } = await openCsv(path);
  const out = [];
  for await (const r of records) out.push(r);
  return { delimiter, out };
}

test("detects comma, semicolon and tab from the header line, ignoring quoted delimiters", () => {
  assert.equal(detectDelimiter("prompt,id\n"), ",");
  assert.equal(detectDelimiter("prompt;id;duration\n"), ";");
  assert.equal(detectDelimiter("prompt\tid\n"), "\t");
  assert.equal(detectDelimiter('"a;b;c",prompt\n'), ",");
  assert.equal(detectDelimiter("\uFEFFprompt;duration\r\nx,y;5"), ";");
});

test("reads BOM, CRLF, quoted multi-line cells and reports the line each record starts on", async (t) => {
  const dir = tempDir(t);
  const path = writeCsv(
    dir,
    "in.csv",
    '\uFEFFprompt,id\r\n"first\r\nsecond line",a\r\n\r\n"He said ""hi""",b\r\nplain,c\r\n',
  );
  const { delimiter, out } = await readAll(path);
  assert.equal(delimiter, ",");
  assert.deepEqual(out[0]?.cells, ["prompt", "id"]);
  assert.deepEqual(out[1], { line: 2, cells: ["first\r\nsecond line", "a"] });
  assert.deepEqual(out[2], { line: 5, cells: ['He said "hi"', "b"] });
  assert.deepEqual(out[3], { line: 6, cells: ["plain", "c"] });
});

test("reads semicolon and tab files with non-ASCII text", async (t) => {
  const dir = tempDir(t);
  const semi = await readAll(writeCsv(dir, "s.csv", "prompt;duration\nUn café, s'il vous plaît;10\n"));
  assert.equal(semi.delimiter, ";");
  assert.deepEqual(semi.out[1]?.cells, ["Un café, s'il vous plaît", "10"]);
  const tab = await readAll(writeCsv(dir, "t.tsv", "prompt\tduration\n桜の花びら\t5\n"));
  assert.equal(tab.delimiter, "\t");
  assert.deepEqual(tab.out[1]?.cells, ["桜の花びら", "5"]);
});

test("an empty file, a missing file and a UTF-16 file are usage errors", async (t) => {
  const dir = tempDir(t);
  await assert.rejects(openCsv(writeCsv(dir, "e.csv", "  \n")), { name: "UserError", code: "INPUT_EMPTY" });
  await assert.rejects(openCsv(`${dir}/nope.csv`), { name: "UserError", code: "INPUT_UNREADABLE" });
  const utf16 = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from("prompt\n", "utf16le")]);
  await assert.rejects(openCsv(writeCsv(dir, "u.csv", utf16 as unknown as string)), {
    code: "INPUT_ENCODING",
  });
});

test("an unclosed quote is reported with its line, as a usage error", async (t) => {
  const dir = tempDir(t);
  const path = writeCsv(dir, "bad.csv", 'prompt,id\nok,1\n"never closed,2\n');
  await assert.rejects(readAll(path), (error: Error & { code?: string }) => {
    assert.equal(error.code, "INPUT_MALFORMED");
    assert.match(error.message, /line \d+/);
    return true;
  });
});
