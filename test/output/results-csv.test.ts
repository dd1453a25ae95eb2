import assert from "node:assert/strict";
import { join } from "node:path";
import { writeMeta } from "../../src/ledger/batch-meta.js";
import { createJobStore } from "../../src/ledger/job-store.js";
import { openLedger } from "../../src/ledger/open-ledger.js";
import { createTaskStore } from "../../src/ledger/task-store.js";
import { writeResultsCsv } from "../../src/output/results-csv.js";
import { neutralizeFormula } from "../../src/output/spreadsheet-safe.js";
import { readResults, tempDir } from "../helpers/fixtures.js";
import { test } from "../helpers/leaks.js";
import { recordTestIntent } from "../helpers/ledger.js";

test("provider text can never become a live spreadsheet formula", () => {
  assert.equal(neutralizeFormula('=HYPERLINK("http://evil")'), '\'=HYPERLINK("http://evil")');
  for (const lead of ["+", "-", "@", "\t", "\r"]) assert.equal(neutralizeFormula(`${lead}x`), `'${lead}x`);
  assert.equal(neutralizeFormula("plain text"), "plain text");
});

test("the results CSV keeps input columns and order, neutralises provider text and rewrites atomically", async (t) => {
  const dir = tempDir(t);
  const db = openLedger(join(dir, "l.db"));
  writeMeta(db, "input_columns", JSON.stringify(["prompt", "notes"]));
  const jobs = createJobStore(db);
  const tasks = createTaskStore(db);
  jobs.sync({
    key: "b",
    index: 2,
    line: 3,
    cells: ["=1+1 typed by the user", "n2"],
    specJson: "{}",
    videoName: "b",
    error: null,
    estimatedCostUsd: 0.275,
  });
  jobs.sync({
    key: "a",
    index: 1,
    line: 2,
    cells: ["first", "n1"],
    specJson: "{}",
    videoName: "a",
    error: null,
    estimatedCostUsd: 0.275,
  });
  const task = recordTestIntent(tasks, "b");
  tasks.recordSubmitted(task, "=cmd|' /C calc'!A0");
  tasks.recordFailed(task, "fail", "500", "@SUM(A1) injected", {}, 1);
  const out = join(dir, "out", "r.csv");
  await writeResultsCsv(db, out);
  const rows = readResults(out);
  assert.deepEqual(
    rows.map((r) => r.prompt),
    ["first", "=1+1 typed by the user"],
    "input order, user cells untouched",
  );
  assert.equal(rows[1]?.task_id, "'=cmd|' /C calc'!A0");
  assert.equal(rows[1]?.error, "'@SUM(A1) injected");
  assert.equal(rows[0]?.status, "pending");
  db.close();
});
