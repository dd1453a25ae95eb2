import assert from "node:assert/strict";
import { copyFileSync, existsSync, readdirSync, readFileSync } from "node:fs";
import { createServer } from "node:http";
import { join } from "node:path";
import { csvUrlOf } from "../../src/input/fetch-input.js";
import { KEY, runArgs, runBatchCli, simFor } from "../helpers/batch.js";
import { runCli } from "../helpers/cli.js";
import { numberedPrompts, queryLedger, readResults, tempDir, writeCsv } from "../helpers/fixtures.js";
import { test } from "../helpers/leaks.js";

const WORKBOOK = join(import.meta.dirname, "..", "..", "..", "test", "fixtures", "xlsx", "shots.xlsx");

test("an .xlsx workbook is read directly: dates, numbers and booleans as shown, multi-line and unicode cells intact, --sheet", {
  timeout: 60_000,
}, async (t) => {
  const dir = tempDir(t);
  const sim = await simFor(t);
  const book = join(dir, "shots.xlsx");
  copyFileSync(WORKBOOK, book);
  const run = await runBatchCli(dir, book, sim);
  assert.equal(run.code, 0, run.stderr);
  const rows = readResults(join(dir, "shots.results.csv"));
  assert.deepEqual(
    rows.map((r) => [r.id, r.status, r.shoot_date, r.approved]),
    [
      ["fox", "succeeded", "2025-12-01", "TRUE"],
      ["multi", "succeeded", "2025-12-02", "FALSE"],
      ["unicode", "succeeded", "2025-12-03 12:00:00", "TRUE"],
      ["ratio", "succeeded", "0.1", "TRUE"],
    ],
  );
  const prompts = queryLedger<{ spec_json: string }>(
    join(dir, "shots.ledger.db"),
    "SELECT spec_json FROM jobs ORDER BY row_index",
  ).map((r) => JSON.parse(r.spec_json) as { prompt: string; duration: number; sound: boolean });
  assert.equal(prompts[1]?.prompt, "First line of the shot\nSecond line: the camera pulls back");
  assert.equal(prompts[2]?.prompt, "Кот на скейте — 猫 🐱 über alles");
  assert.deepEqual([prompts[1]?.duration, prompts[1]?.sound], [10, true]);

  const later = await runBatchCli(dir, book, sim, [
    "--sheet",
    "Later",
    "--ledger",
    join(dir, "later.db"),
    "--out",
    join(dir, "later.csv"),
  ]);
  assert.equal(later.code, 0, later.stderr);
  assert.equal(readResults(join(dir, "later.csv"))[0]?.prompt, "A second sheet's only row");
  const missing = await runBatchCli(dir, book, sim, ["--sheet", "Nope", "--ledger", join(dir, "nope.db")]);
  assert.equal(missing.code, 2);
  assert.match(missing.stderr, /has no sheet "Nope" \(its sheets: "Shots", "Later"\)/);
  assert.equal(existsSync(join(dir, "nope.db")), false);
});

test("an https:// CSV and a Google Sheets link are read (redirects followed); results go to the current folder; a sign-in page is refused with nothing created", {
  timeout: 60_000,
}, async (t) => {
  assert.deepEqual(csvUrlOf("https://docs.google.com/spreadsheets/d/1AbCdEfGhIjKlMnOp/edit#gid=42"), {
    url: "https://docs.google.com/spreadsheets/d/1AbCdEfGhIjKlMnOp/export?format=csv&gid=42",
    name: "sheet-1AbCdEfGhIjK-42",
  });
  assert.equal(
    csvUrlOf("https://docs.google.com/spreadsheets/d/1AbC/edit?usp=sharing").url,
    "https://docs.google.com/spreadsheets/d/1AbC/export?format=csv&gid=0",
  );
  const dir = tempDir(t);
  const sim = await simFor(t);
  const server = createServer((req, res) => {
    if (req.url === "/share/batch") res.writeHead(302, { location: "/files/batch.csv" }).end();
    else if (req.url === "/files/batch.csv")
      res.writeHead(200, { "content-type": "text/csv" }).end(numberedPrompts(3, "Remote row"));
    else
      res
        .writeHead(200, { "content-type": "text/html" })
        .end("<!doctype html><html><body>Sign in</body></html>");
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  t.after(() => new Promise<void>((resolve) => server.close(() => resolve())));
  const base = `http://127.0.0.1:${(server.address() as { port: number }).port}`;

  const run = await runCli([...runArgs(`${base}/share/batch`, sim)], { cwd: dir, env: { KIE_API_KEY: KEY } });
  assert.equal(run.code, 0, run.stderr);
  assert.deepEqual(
    readResults(join(dir, "batch.results.csv")).map((r) => r.status),
    ["succeeded", "succeeded", "succeeded"],
  );
  assert.ok(existsSync(join(dir, "batch.ledger.db")));

  const empty = tempDir(t);
  const privateSheet = await runCli([...runArgs(`${base}/private`, sim)], {
    cwd: empty,
    env: { KIE_API_KEY: KEY },
  });
  assert.equal(privateSheet.code, 2, privateSheet.stderr);
  assert.match(
    privateSheet.stderr,
    /answered with a web page, not CSV .*Share the sheet as "Anyone with the link can view"/,
  );
  assert.deepEqual(readdirSync(empty), [], "nothing was created");
});

test("a missing input creates nothing: no ledger, no folders", { timeout: 30_000 }, async (t) => {
  const dir = tempDir(t);
  const sim = await simFor(t);
  const run = await runCli([...runArgs(join(dir, "sub", "dir", "missing.csv"), sim)], {
    cwd: dir,
    env: { KIE_API_KEY: KEY },
  });
  assert.equal(run.code, 2);
  assert.match(run.stderr, /Cannot read the input CSV .*missing\.csv: it does not exist/);
  assert.deepEqual(readdirSync(dir), []);
});

test("--limit runs the first N pending rows and --rows picks input lines; the rest stay pending", {
  timeout: 60_000,
}, async (t) => {
  const dir = tempDir(t);
  const sim = await simFor(t);
  const csv = writeCsv(dir, "in.csv", numberedPrompts(8, "Trial"));
  const trial = await runBatchCli(dir, csv, sim, ["--limit", "3"]);
  assert.equal(trial.code, 3, trial.stderr);
  assert.match(trial.stderr, /This run submits 3 of the 8 pending row\(s\) \(--limit 3\), estimated \$0\.83/);
  assert.match(trial.stderr, /Next: Resume .*: vidbatch run .*in\.csv(?!.*--limit)/);
  assert.deepEqual(
    readResults(join(dir, "in.results.csv")).map((r) => r.status),
    ["succeeded", "succeeded", "succeeded", "pending", "pending", "pending", "pending", "pending"],
  );
  const picked = await runBatchCli(dir, csv, sim, ["--rows", "7-8,9"]);
  assert.equal(picked.code, 3, picked.stderr);
  assert.deepEqual(
    readResults(join(dir, "in.results.csv")).map((r) => r.status),
    ["succeeded", "succeeded", "succeeded", "pending", "pending", "succeeded", "succeeded", "succeeded"],
  );
  // Lines past the end, and rows already done, are named as such: nothing silently skipped.
  const named = await runBatchCli(dir, csv, sim, ["--rows", "2,7-12"]);
  assert.match(named.stderr, /--limit\/--rows: line\(s\) 10-12 are not in the input/);
  assert.match(
    named.stderr,
    /--limit\/--rows: 4 named row\(s\) are not pending, so not submitted: line 2 \(succeeded\), line 7 \(succeeded\), line 8 \(succeeded\), line 9 \(succeeded\)/,
  );
  const bad = await runBatchCli(dir, csv, sim, ["--rows", "1-3"]);
  assert.equal(bad.code, 2);
  assert.match(bad.stderr, /--rows takes input line numbers .*line 1 is the header/);
});

test("--map names the columns of known fields on every provider", { timeout: 60_000 }, async (t) => {
  const dir = tempDir(t);
  const sim = await simFor(t);
  const csv = writeCsv(dir, "in.csv", "Script,Frame URL,Notes\nA fox in snow,,keep\n");
  const run = await runBatchCli(dir, csv, sim, ["--map", "prompt=Script,image_url=Frame URL"]);
  assert.equal(run.code, 0, run.stderr);
  const [row] = readResults(join(dir, "in.results.csv"));
  assert.equal(row?.status, "succeeded");
  const wrong = await runBatchCli(dir, csv, sim, ["--map", "prompt=Scene"]);
  assert.equal(wrong.code, 2);
  assert.match(
    wrong.stderr,
    /--map "prompt=Scene": the input has no column "Scene" \(its columns: "Script", "Frame URL", "Notes"\)/,
  );
});

test("--dry-run needs no key on KIE or Kling, and prints the price table; with a key it says whether the balance covers the batch", {
  timeout: 60_000,
}, async (t) => {
  const dir = tempDir(t);
  const sim = await simFor(t);
  const csv = writeCsv(dir, "in.csv", numberedPrompts(4, "Dry"));
  for (const provider of ["kie", "kling"]) {
    const dry = await runCli(["run", csv, "--dry-run", "--provider", provider], { cwd: dir, env: {} });
    assert.equal(dry.code, 0, dry.stderr);
    assert.match(dry.stderr, /model +mode +duration +sound +rows +each +subtotal/);
    assert.match(dry.stderr, /No (kie|kling) key: prices are local/);
  }
  const withKey = await runBatchCli(dir, csv, sim, ["--dry-run"]);
  assert.equal(withKey.code, 0, withKey.stderr);
  assert.match(withKey.stderr, /kie balance: 1,000,000 credits \(\$5000\.00\) — covers the rows to submit/);
  assert.equal(readdirSync(dir).sort().join(","), "in.csv");
  void readFileSync;
});

test("two ledgers over one input write two reports, each named after its ledger", {
  timeout: 60_000,
}, async (t) => {
  const dir = tempDir(t);
  const sim = await simFor(t);
  const csv = writeCsv(dir, "in.csv", numberedPrompts(1, "Twice"));
  for (const ledger of ["kie-a.ledger.db", "kie-b.db"])
    assert.equal(
      (await runBatchCli(dir, csv, sim, ["--ledger", join(dir, ledger), "--out", join(dir, `${ledger}.csv`)]))
        .code,
      0,
    );
  assert.ok(existsSync(join(dir, "kie-a.report.html")));
  assert.ok(existsSync(join(dir, "kie-b.report.html")));
  assert.ok(!existsSync(join(dir, "in.report.html")));
});
