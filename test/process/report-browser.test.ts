import assert from "node:assert/strict";
import { copyFileSync, existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { runBatchCli, simFor } from "../helpers/batch.js";
import { tempDir, writeCsv } from "../helpers/fixtures.js";
import { PHOTO_JPG, writeFrame } from "../helpers/frames.js";
import { test } from "../helpers/leaks.js";

const CHROMIUM = [process.env.CHROMIUM_PATH, "/usr/bin/chromium", "/usr/bin/chromium-browser"].find(
  (p): p is string => typeof p === "string" && existsSync(p),
);
const IMG = "https://static.aiquickdraw.com/tools/example/1764851002741_i0lEiI8I.png";

test("the report in a real browser (headless Chromium): videos load their metadata, filters and search narrow the cards", {
  timeout: 120_000,
  // Reported as skipped, not passed, where nothing can be checked.
  skip: CHROMIUM ? false : "Chromium is not installed here (.ci/run installs Debian's chromium)",
}, async (t) => {
  if (!CHROMIUM) return;
  const { chromium } = await import("playwright-core");
  const dir = tempDir(t);
  const sim = await simFor(t);
  const csv = writeCsv(
    dir,
    "batch.csv",
    `id,prompt,image_url,duration
fox,"A red fox trotting through fresh snow, morning light",,5
lake,"A calm lake at dawn, mist rising",,10
portrait,The woman smiles and turns to the window,${IMG},5
boat,"A paper boat drifting down a rain gutter, macro lens",,5
blocked,A scene [fail] that moderation rejects,,5
broken,"<script>alert(1)</script> & a duration nobody makes",,7.5
harbour,"Slow pan across the harbour, boats rocking",frames/harbour.jpg,5
`,
  );
  // A local frame: the report shows the file itself, offline, by a path relative to the report.
  writeFrame(dir, "frames/harbour.jpg", readFileSync(PHOTO_JPG));
  const run = await runBatchCli(dir, csv, sim);
  assert.equal(run.code, 1, run.stderr);
  const report = join(dir, "batch.report.html");
  assert.ok(existsSync(report), "run writes the report");

  const browser = await chromium.launch({ executablePath: CHROMIUM, args: ["--no-sandbox"] });
  t.after(() => browser.close());
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  const dialogs: string[] = [];
  page.on("dialog", (d) => {
    dialogs.push(d.message());
    void d.dismiss();
  });
  await page.goto(pathToFileURL(report).href);
  const visible = () => page.locator("figure.card:not([hidden])").count();

  assert.equal(await page.locator("video").count(), 5, "one video per succeeded row");
  assert.equal(await visible(), 7);
  assert.match(
    (await page.locator(".totals").textContent()) ?? "",
    /7 rows: 5 succeeded, 1 failed, 1 invalid · spent \$/,
  );
  // The first video's metadata loads (lazily, once on screen) from the relative path.
  await page.waitForFunction("(document.querySelector('video')?.readyState ?? 0) >= 1", undefined, {
    timeout: 20_000,
  });
  const duration = (await page.evaluate("document.querySelector('video').duration")) as number;
  assert.ok(duration > 0, `a real video: ${duration} s`);
  assert.match(
    (await page.locator("figure.card").first().textContent()) ?? "",
    /fox · line 2.*succeeded.*kling-2\.6 · 5 s · \$0\.28/s,
  );
  assert.equal(
    await page.locator("figure.card img").count(),
    2,
    "the source image of each image-to-video row",
  );
  const local = page.locator('figure.card img[src="frames/harbour.jpg"]');
  await local.scrollIntoViewIfNeeded();
  await page.waitForFunction(
    "document.querySelector('img[src=\"frames/harbour.jpg\"]')?.naturalWidth === 640",
    undefined,
    { timeout: 20_000 },
  );

  await page.click('button[data-status="failed"]');
  assert.equal(await visible(), 1);
  assert.match(
    (await page.locator("figure.card:not([hidden])").textContent()) ?? "",
    /blocked · line 6.*Invalid prompt/s,
  );
  await page.click('button[data-status="all"]');
  await page.fill("#q", "PAPER boat");
  assert.equal(await visible(), 1);
  assert.equal((await page.locator("#shown").textContent()) ?? "", "1 of 7 shown");
  await page.fill("#q", "");
  // Input text stays text: the row's markup is shown, never run.
  assert.match(
    (await page.locator("figure.invalid").textContent()) ?? "",
    /<script>alert\(1\)<\/script> & a duration/,
  );
  assert.deepEqual(dialogs, []);

  const shot = join(dir, "report.png");
  await page.screenshot({ path: shot });
  assert.ok(existsSync(shot));
  if (process.env.VIDBATCH_REPORT_SCREENSHOT) copyFileSync(shot, process.env.VIDBATCH_REPORT_SCREENSHOT);
});
