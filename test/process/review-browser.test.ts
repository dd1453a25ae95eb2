import assert from "node:assert/strict";
import { copyFileSync, existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { KEY, runArgs, runBatchCli, simFor } from "../helpers/batch.js";
import { startCli } from "../helpers/cli.js";
import { queryLedger, tempDir, waitFor, writeCsv } from "../helpers/fixtures.js";
import { test } from "../helpers/leaks.js";
import { startReviewCli } from "../helpers/review.js";

const CHROMIUM = [process.env.CHROMIUM_PATH, "/usr/bin/chromium", "/usr/bin/chromium-browser"].find(
  (p): p is string => typeof p === "string" && existsSync(p),
);
const ROWS = 200;
// The page's globals, for the functions Playwright runs in it (this project has no DOM types).
declare const document: {
  activeElement?: unknown;
  querySelectorAll(s: string): { length: number };
  querySelector(s: string): { textContent: string | null } | null;
};
declare const window: { scrollTo(x: number, y: number): void };
declare const navigator: { clipboard: { readText(): Promise<string> } };

/** 200 rows: every tenth a 9:16 reel, every 25th one the filter refuses, an episode column of the sheet's own. */
function sheet(): string {
  const lines = ["Shot ID,prompt,aspect_ratio,episode"];
  for (let i = 1; i <= ROWS; i++)
    lines.push(
      `shot-${i},${i % 25 === 0 ? "A [fail] street fight" : `"A quiet harbour at dawn, take ${i}"`},${i % 10 === 0 ? "9:16" : "16:9"},E${String(Math.ceil(i / 50)).padStart(2, "0")}`,
    );
  return `${lines.join("\n")}\n`;
}

test("the review loop in a real browser (headless Chromium): 200 clips fill in live while the run goes, are marked with the keyboard and a button, the marks survive a reload, and --redo pays for exactly the rows marked Redo", {
  timeout: 240_000,
  skip: CHROMIUM ? false : "Chromium is not installed here (.ci/run installs Debian's chromium)",
}, async (t) => {
  if (!CHROMIUM) return;
  const { chromium } = await import("playwright-core");
  const dir = tempDir(t);
  const sim = await simFor(t, { genTimeMs: 2000, createLimit: { max: 1000, windowMs: 10_000 } });
  const csv = writeCsv(dir, "batch.csv", sheet());
  const ledger = join(dir, "batch.ledger.db");

  // The run, in its own process; the review, in another, opened while the run goes.
  const run = startCli(runArgs(csv, sim, ["--concurrency", "25", "--submit-rate", "1000/10s"]), {
    cwd: dir,
    env: { KIE_API_KEY: KEY },
  });
  t.after(() => run.child.kill("SIGKILL"));
  await waitFor(() => existsSync(ledger), "the run to create its ledger", 30_000);
  const review = await startReviewCli(t, dir, ["review", "batch.csv", "--port", "0"], { KIE_API_KEY: KEY });

  const browser = await chromium.launch({ executablePath: CHROMIUM, args: ["--no-sandbox"] });
  t.after(() => browser.close());
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  const problems: string[] = [];
  page.on("pageerror", (e) => problems.push(e.message));
  await page.goto(review.url);
  const withVideo = () => page.locator("figure.card video").count();
  const early = await withVideo();
  assert.ok(early < ROWS, `the page opened while clips were still coming (${early} had arrived)`);
  // No reload: the page asks the server for what changed, and the cards fill in.
  await page.waitForFunction(
    (n) => document.querySelectorAll("figure.card video").length === n,
    ROWS - ROWS / 25,
    { timeout: 120_000, polling: 500 },
  );
  const ended = await run.done;
  assert.equal(ended.code, 1, ended.stderr.slice(-2000)); // the refused rows
  assert.match(ended.stderr, /192 succeeded, 8 failed/);
  assert.equal(await page.locator("figure.card").count(), ROWS);

  // The reel's box is shaped by its clip (9:16), the others' by theirs (16:9).
  const box = async (id: string) =>
    page.locator(`figure.card[data-key="id:${id}"] video`).evaluate((v) => {
      const r = v.getBoundingClientRect();
      return r.height / r.width;
    });
  assert.ok((await box("shot-10")) > 1.5, "a 9:16 reel stands tall");
  assert.ok((await box("shot-1")) < 0.7, "a 16:9 clip lies wide");
  assert.match(
    (await page.locator('figure.card[data-key="id:shot-25"]').textContent()) ?? "",
    /shot-25 · line 26.*failed.*episode\s*E01.*Invalid prompt: prompt contains prohibited content/s,
  );

  // The keyboard: → to the first card, k keeps it (and moves on), r marks the next Redo, → skips one, r again.
  await page.locator("body").click({ position: { x: 5, y: 5 } });
  await page.keyboard.press("ArrowRight");
  await page.keyboard.press("k");
  await page.keyboard.press("r");
  await page.keyboard.press("ArrowRight");
  await page.keyboard.press("r");
  // A button: Redo on the reel of line 11, and a note typed on it.
  const reel = page.locator('figure.card[data-key="id:shot-10"]');
  await reel.getByRole("button", { name: "Redo" }).click();
  // Typed as a person types, across the page's two-second refresh: the note keeps the focus and the
  // letters never act as shortcuts (k, r, p, n are all in it).
  await reel.locator("textarea").click();
  await page.keyboard.type("too dark, and the boat is cut off", { delay: 90 });
  assert.equal(await reel.locator("textarea").inputValue(), "too dark, and the boat is cut off");
  await reel.locator("textarea").blur();
  // A refused row kept as it is: --retry-failed leaves it alone.
  await page.locator('figure.card[data-key="id:shot-25"]').getByRole("button", { name: "Keep" }).click();
  await page.waitForFunction(
    () =>
      document.querySelectorAll('figure.card[data-mark="redo"]').length === 3 &&
      document.querySelectorAll('figure.card[data-mark="keep"]').length === 2,
    undefined,
    { timeout: 10_000 },
  );
  await waitFor(
    () => queryLedger<{ n: number }>(ledger, "SELECT COUNT(*) AS n FROM marks WHERE note != ''")[0]?.n === 1,
    "the note to reach the ledger",
    10_000,
  );

  await page.evaluate(() => window.scrollTo(0, 0));
  const shot = join(dir, "review.png");
  await page.screenshot({ path: shot });
  if (process.env.VIDBATCH_REVIEW_SCREENSHOT) copyFileSync(shot, process.env.VIDBATCH_REVIEW_SCREENSHOT);
  // Filters go in the URL: a link (or a reload) reopens the same view.
  await page.click('button[data-filter-mark="redo"]');
  assert.match(page.url(), /#mark=redo$/);
  await page.reload();
  await page.waitForSelector("figure.card:not([hidden])");
  assert.equal(await page.locator("figure.card:not([hidden])").count(), 3, "the marks survived the reload");
  assert.equal(await page.locator('button[data-filter-mark="redo"]').textContent(), "redo 3");
  assert.deepEqual(
    await page
      .locator("figure.card:not([hidden])")
      .evaluateAll((fs) => fs.map((f) => f.getAttribute("data-key"))),
    ["id:shot-2", "id:shot-4", "id:shot-10"],
  );
  assert.equal(
    await page.locator('figure.card[data-key="id:shot-10"] textarea').inputValue(),
    "too dark, and the boat is cut off",
  );
  await page.fill("#q", "boat is cut");
  assert.equal(await page.locator("#shown").textContent(), "1 of 200 shown", "notes are searched");

  // Export of the marks, and the redo command.
  const [download] = await Promise.all([page.waitForEvent("download"), page.click("#export")]);
  const exported = readFileSync((await download.path()) as string, "utf8");
  assert.equal(
    exported.replace(/^\uFEFF/, ""),
    'id,line,mark,note\r\nshot-1,2,keep,\r\nshot-2,3,redo,\r\nshot-4,5,redo,\r\nshot-10,11,redo,"too dark, and the boat is cut off"\r\nshot-25,26,keep,\r\n',
  );
  await context.grantPermissions(["clipboard-read", "clipboard-write"], { origin: review.url });
  await page.click("#copy-redo");
  // The command the batch ran with (its flags: here the simulator's address), plus --redo.
  assert.match(
    await page.evaluate(() => navigator.clipboard.readText()),
    /^vidbatch run \S*batch\.csv --base-url http:\/\/127\.0\.0\.1:\d+ .*--concurrency 25 --submit-rate 1000\/10s --redo$/,
  );
  assert.deepEqual(problems, []);

  // The page never carries the key.
  const html = await (await fetch(review.url)).text();
  const api = await (await fetch(`${review.url}api/cards`)).text();
  assert.ok(!html.includes(KEY) && !api.includes(KEY));

  // --redo: a new, paid attempt for exactly the three rows marked Redo, said so in the plan.
  const before = sim.stats.submissions;
  const redo = await runBatchCli(dir, csv, sim, ["--redo"]);
  assert.equal(redo.code, 1, redo.stderr); // the eight refused rows are still failed
  assert.match(
    redo.stderr,
    /--redo: 3 row\(s\) marked Redo get a new attempt: new, paid tasks, estimated \$0\.83/,
  );
  assert.equal(sim.stats.submissions - before, 3, "only the rows marked Redo were paid for");
  const tasks = queryLedger<{ row_key: string; attempt: number; state: string; video_path: string }>(
    ledger,
    "SELECT row_key, attempt, state, video_path FROM tasks WHERE row_key IN ('id:shot-2', 'id:shot-10') ORDER BY id",
  );
  assert.deepEqual(
    tasks.map((r) => [r.row_key, r.attempt, r.state, r.video_path.slice(dir.length + 1)]),
    [
      ["id:shot-2", 1, "succeeded", "batch-videos/shot-2.mp4"],
      ["id:shot-10", 1, "succeeded", "batch-videos/shot-10.mp4"],
      ["id:shot-2", 2, "succeeded", "batch-videos/shot-2.take2.mp4"],
      ["id:shot-10", 2, "succeeded", "batch-videos/shot-10.take2.mp4"],
    ],
    "both attempts and both videos are kept",
  );
  for (const t2 of tasks) assert.ok(existsSync(t2.video_path), `${t2.video_path} is on disk`);
  const marks = queryLedger<{ row_key: string; mark: string | null; note: string }>(
    ledger,
    "SELECT row_key, mark, note FROM marks ORDER BY row_key",
  );
  assert.deepEqual(
    marks.map((m) => [m.row_key, m.mark, m.note]),
    [
      ["id:shot-1", "keep", ""],
      ["id:shot-10", null, "too dark, and the boat is cut off"],
      ["id:shot-2", null, ""],
      ["id:shot-25", "keep", ""],
      ["id:shot-4", null, ""],
    ],
    "the Redo marks are cleared once the new attempts are submitted; the note stays",
  );
  // A row marked Keep is never submitted again, not even by --retry-failed.
  const retried = await runBatchCli(dir, csv, sim, ["--retry-failed"]);
  assert.equal(retried.code, 1, retried.stderr);
  assert.equal(
    sim.stats.submissions - before,
    3 + 7,
    "the seven other refused rows went again; line 26 did not",
  );
  assert.equal(
    queryLedger<{ n: number }>(ledger, "SELECT COUNT(*) AS n FROM tasks WHERE row_key = 'id:shot-25'")[0]?.n,
    1,
  );

  // The live page shows the new attempts, and the history holds both.
  await page.fill("#q", "");
  await page.click('button[data-filter-mark="redo"]');
  await page.waitForFunction(
    () =>
      document.querySelector('figure.card[data-key="id:shot-10"] details summary')?.textContent ===
      "2 attempts",
    undefined,
    { timeout: 10_000 },
  );
  await review.stop();
});
