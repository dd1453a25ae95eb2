// Tests that drive real processes (kill -9, signals, a terminal): split from cli/operator-view.test.ts so
// that `npm run test:fast` can leave them out and `npm test` starts them first.
import assert from "node:assert/strict";
import { execFileSync, spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { KEY, runArgs, simFor } from "../helpers/batch.js";
import { CLI } from "../helpers/cli.js";
import { numberedPrompts, tempDir, waitFor, writeCsv } from "../helpers/fixtures.js";
import { test } from "../helpers/leaks.js";

const ESC = String.fromCharCode(27);
const STATUS_LINE = /\$\d+\.\d\d (spent|\+\$\d+\.\d\d held).* · \d+\/\d+ done \(\d+%\)/;
const hasTmux = spawnSync("tmux", ["-V"]).status === 0;

/**
 * `vidbatch` run in a detached tmux pane of `width` × `height` (killed when the test ends): the
 * pane's text as the user sees it. The pane prints EXIT=<code> when the command ends.
 */
function inTmux(
  t: { after: (fn: () => void) => void },
  dir: string,
  session: string,
  args: string[],
  width: number,
  height: number,
): () => string {
  const quoted = args.map((a) => `'${a}'`).join(" ");
  execFileSync("tmux", [
    "new-session",
    "-d",
    "-s",
    session,
    "-x",
    String(width),
    "-y",
    String(height),
    `cd '${dir}' && KIE_API_KEY=${KEY} '${process.execPath}' '${CLI}' ${quoted}; echo EXIT=$?; sleep 60`,
  ]);
  t.after(() => void spawnSync("tmux", ["kill-session", "-t", session]));
  return () => execFileSync("tmux", ["capture-pane", "-p", "-t", session], { encoding: "utf8" });
}

test("on a terminal (tmux): one live status line redrawn in place; failures print above it; the end replaces it", {
  timeout: 90_000,
  // Reported as skipped, not passed, where nothing can be checked.
  skip: hasTmux ? false : "tmux is not installed here (.ci/run installs it)",
}, async (t) => {
  if (!hasTmux) return;
  const dir = tempDir(t);
  const sim = await simFor(t, { genTimeMs: 1500 });
  const csv = writeCsv(dir, "in.csv", `${numberedPrompts(24, "A forest")}A [fail] scene\n`);
  const pane = inTmux(t, dir, `vb${process.pid}`, [...runArgs(csv, sim), "--concurrency", "4"], 200, 40);
  await waitFor(() => STATUS_LINE.test(pane()), "the live line", 30_000);
  const during = pane();
  assert.equal(during.split("\n").filter((l) => STATUS_LINE.test(l)).length, 1, during);
  await waitFor(() => /EXIT=\d/.test(pane()), "the run to end", 60_000);
  const after = pane();
  assert.match(after, /EXIT=1/);
  assert.equal(
    after.split("\n").filter((l) => STATUS_LINE.test(l)).length,
    0,
    "the live line gives way to the summary",
  );
  assert.equal(
    after.match(/line 26: failed:/g)?.length,
    2,
    "the failure above the line, and in the summary's list",
  );
  assert.match(after, /Finished after .*: 24 succeeded, 1 failed/);
  const lines = after.split("\n").filter((l) => l.trim() !== "");
  assert.ok(lines.length < 15, `25 rows do not scroll 25 lines:\n${after}`);
  assert.ok(!readFileSync(join(dir, "in.results.csv"), "utf8").includes(ESC));
});

test("on an 80-column terminal (tmux): the live line fits on one line, money and the provider's wait first", {
  timeout: 90_000,
  skip: hasTmux ? false : "tmux is not installed here (.ci/run installs it)",
}, async (t) => {
  if (!hasTmux) return;
  const dir = tempDir(t);
  // KIE's window, tightened: 3 creates per 4 s, so submissions wait for it most of the run.
  const sim = await simFor(t, { genTimeMs: 800, createLimit: { max: 3, windowMs: 4000 } });
  const csv = writeCsv(dir, "in.csv", numberedPrompts(12, "A lighthouse"));
  const args = [...runArgs(csv, sim), "--concurrency", "8", "--submit-rate", "3/4s"];
  const pane = inTmux(t, dir, `vb80${process.pid}`, args, 80, 30);
  const waitLine =
    /^\$\d+\.\d\d (spent|\+\$\d+\.\d\d held) · kie 3\/4 s: next at \d\d:\d\d:\d\d UTC · \d+\/12 done/m;
  await waitFor(() => waitLine.test(pane()), "the live line naming the wait", 40_000);
  const during = pane();
  const line = during.split("\n").find((l) => waitLine.test(l)) ?? "";
  assert.ok([...line].length <= 80, `one line of at most 80 columns: ${line}`);
  assert.ok(!line.endsWith("…"), `built to fit, not cut: ${line}`);
  await waitFor(() => /EXIT=\d/.test(pane()), "the run to end", 60_000);
  assert.match(pane(), /EXIT=0/);
});
