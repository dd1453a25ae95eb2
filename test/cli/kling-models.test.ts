import assert from "node:assert/strict";
import { copyFileSync } from "node:fs";
import { join } from "node:path";
import { runKlingCli, simFor } from "../helpers/batch.js";
import { queryLedger, readResults, tempDir, writeCsv } from "../helpers/fixtures.js";
import { test } from "../helpers/leaks.js";

const SAMPLE = join(import.meta.dirname, "..", "..", "..", "samples", "kling-models.csv");

test("kling: the sample naming seven spellings of six Kling models runs with each model's body and price; rules broken per model are row errors", {
  timeout: 120_000,
}, async (t) => {
  const dir = tempDir(t);
  const sim = await simFor(t);
  const csv = join(dir, "models.csv");
  copyFileSync(SAMPLE, csv);

  const dry = await runKlingCli(dir, csv, sim, ["--dry-run", "--json"]);
  assert.equal(dry.code, 1, dry.stderr); // four rows break their model's rules
  const plan = JSON.parse(dry.stdout) as {
    invalid: number;
    unknownPriceRows: number;
    estimatedCostUsd: number;
    prices: { model: string; unitUsd: number | null }[];
  };
  assert.equal(plan.invalid, 4);
  // kling-v1, 1.6 and 2.1 Master are not in Kling's price table: unknown, never $0.
  assert.equal(plan.unknownPriceRows, 3);
  const unit = Object.fromEntries(plan.prices.map((p) => [p.model, p.unitUsd]));
  assert.deepEqual(unit, {
    "kling-1.0": null,
    "kling-1.6": null,
    "kling-2.1-master": null,
    "kling-2.5-turbo": 0.35, // 0.5 units/s × 5 s × $0.14
    "kling-2.6": 1.4, // 1.0 unit/s × 10 s
    "kling-3.0": 1.008, // 0.9 units/s × 8 s
  });
  assert.match(dry.stderr, /kling-1\.0\s+std\s+5 s\s+silent\s+1\s+unknown\s+unknown/);
  assert.match(dry.stderr, /plus 3 row\(s\) of unknown price/);

  // --max-cost without --allow-unknown-price leaves the unpriced rows pending, and says how to run them.
  const capped = await runKlingCli(dir, csv, sim, ["--max-cost", "50"]);
  assert.equal(capped.code, 3, capped.stderr);
  assert.match(
    capped.stderr,
    /3 row\(s\) were not submitted: their price is unknown[\s\S]*Next: Run the 3 row\(s\) of unknown price too: .* --allow-unknown-price/,
  );
  const ledger = join(dir, "models.ledger.db");
  const sentBodies = () =>
    queryLedger<{ request_json: string }>(ledger, "SELECT request_json FROM tasks ORDER BY id").map(
      (task) => JSON.parse(task.request_json) as Record<string, unknown>,
    );
  assert.deepEqual(
    sentBodies()
      .map((b) => b.model_name)
      .sort(),
    ["kling-v2-5-turbo", "kling-v2-6", "kling-v3"],
  );

  const run = await runKlingCli(dir, csv, sim, ["--max-cost", "50", "--allow-unknown-price"]);
  assert.equal(run.code, 1, run.stderr);
  const rows = readResults(join(dir, "models.results.csv"));
  const byId = Object.fromEntries(rows.map((r) => [r.id, r]));
  for (const id of ["v1-zoom", "v16-pro", "master-21", "turbo-frames", "v26-sound", "v3-long"])
    assert.equal(byId[id]?.status, "succeeded", `${id}: ${byId[id]?.error}`);
  // Kling reports the units it deducted: the unknown prices become known charges.
  assert.equal(byId["v3-long"]?.cost_usd, "1.008");
  assert.ok(
    Number(byId["v1-zoom"]?.cost_usd) > 0,
    "a charge reported by Kling replaces the unknown estimate",
  );
  assert.match(
    byId["bad-sound"]?.error ?? "",
    /column sound: Kling 1\.6 \(kling-v1-6\) makes silent videos only/,
  );
  assert.match(
    byId["bad-cfg"]?.error ?? "",
    /column cfg_scale: Kling 2\.6 \(kling-v2-6\) takes no cfg_scale/,
  );
  assert.match(
    byId["bad-camera"]?.error ?? "",
    /column camera_control: camera_control on Kling 1\.0 \(kling-v1\) works in std mode for 5 s/,
  );
  assert.match(
    byId["bad-duration"]?.error ?? "",
    /column duration: Kling 2\.5 Turbo \(kling-v2-5-turbo\) makes 5 or 10 s videos, not 8 s/,
  );

  const bodies = Object.fromEntries(sentBodies().map((b) => [b.model_name as string, b] as const));
  assert.deepEqual(bodies["kling-v1"]?.camera_control, {
    type: "simple",
    config: { horizontal: 0, vertical: 0, pan: 0, tilt: 0, roll: 0, zoom: 5 },
  });
  assert.equal(bodies["kling-v1"]?.cfg_scale, 0.7);
  assert.equal("sound" in (bodies["kling-v1"] ?? {}), false, "models without audio are sent no sound field");
  assert.equal("mode" in (bodies["kling-v2-1-master"] ?? {}), false, "a master takes no mode");
  assert.equal(
    bodies["kling-v2-5-turbo"]?.image_tail,
    "https://static.aiquickdraw.com/tools/example/end-frame.png",
  );
  assert.deepEqual(
    [bodies["kling-v3"]?.duration, bodies["kling-v3"]?.sound, bodies["kling-v3"]?.mode],
    ["8", "on", "std"],
  );
  assert.equal(Object.keys(bodies).length, 6);
  assert.equal(sim.stats.counters.get("kling.error.1201") ?? 0, 0, "the simulator refused no body");
});

test("kling: Kling 2.1 is its own std/pro image-to-video model (not the Master), and so is 1.5; text-to-video on them is a row error", {
  timeout: 60_000,
}, async (t) => {
  const dir = tempDir(t);
  const sim = await simFor(t);
  const image = "https://static.aiquickdraw.com/tools/example/1764851002741_i0lEiI8I.png";
  const csv = writeCsv(
    dir,
    "in.csv",
    `id,model,prompt,image_url,end_image_url,mode
v21,Kling V2.1,The flower opens,${image},,std
v21-pro-ends,kling-v2-1,The flower opens and closes,${image},${image},pro
v21-master,Kling 2.1 Master,A greenhouse,,,
v15,kling 1.5,A kite rises,${image},,pro
v21-text,kling-2.1,A text-only prompt,,,std
turbo,kling-3.0-turbo,A turbo row,,,std
`,
  );
  const run = await runKlingCli(dir, csv, sim, ["--allow-unknown-price"]);
  assert.equal(run.code, 1, run.stderr);
  const rows = Object.fromEntries(readResults(join(dir, "in.results.csv")).map((r) => [r.id, r]));
  for (const id of ["v21", "v21-pro-ends", "v21-master", "v15"])
    assert.equal(rows[id]?.status, "succeeded", `${id}: ${rows[id]?.error}`);
  assert.match(rows["v21-text"]?.error ?? "", /Kling 2\.1 \(kling-v2-1\) makes image-to-video only/);
  assert.match(
    rows.turbo?.error ?? "",
    /Kling 3\.0 Turbo is on Kling's current API only, which takes an API key: set KLING_API_KEY.*--provider kie/,
  );
  const bodies = queryLedger<{ request_json: string }>(
    join(dir, "in.ledger.db"),
    "SELECT request_json FROM tasks ORDER BY id",
  ).map(
    (task) => JSON.parse(task.request_json) as { model_name: string; mode?: string; image_tail?: string },
  );
  assert.deepEqual(
    bodies.map((b) => [b.model_name, b.mode, b.image_tail !== undefined]),
    [
      ["kling-v2-1", "std", false],
      ["kling-v2-1", "pro", true],
      ["kling-v2-1-master", undefined, false],
      ["kling-v1-5", "pro", false],
    ],
  );
});
