import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { runBatchCli, simFor } from "../helpers/batch.js";
import { queryLedger, readResults, tempDir, writeCsv } from "../helpers/fixtures.js";
import { PHOTO_JPG, pngBytes, writeFrame } from "../helpers/frames.js";
import { test } from "../helpers/leaks.js";

/** Each KIE create body the ledger keeps, by its prompt. */
function bodiesByPrompt(dir: string): Record<string, { model: string; input: Record<string, unknown> }> {
  return Object.fromEntries(
    queryLedger<{ request_json: string }>(join(dir, "in.ledger.db"), "SELECT request_json FROM tasks").map(
      (task) => {
        const body = JSON.parse(task.request_json) as { model: string; input: Record<string, unknown> };
        return [body.input.prompt as string, body];
      },
    ),
  );
}

const IMG = "https://static.aiquickdraw.com/tools/example/1764851002741_i0lEiI8I.png";
const END = "https://static.aiquickdraw.com/tools/example/end-frame.png";

test("kie: kling-2.6, the 2.5 turbo text- and image-to-video models and kling-3.0 run side by side at their own prices", {
  timeout: 120_000,
}, async (t) => {
  const dir = tempDir(t);
  const sim = await simFor(t);
  const csv = writeCsv(
    dir,
    "in.csv",
    `id,model,prompt,image_url,end_image_url,duration,mode,sound,negative_prompt,cfg_scale
k26,kling-2.6,A cat surfing,,,5,,no,,
turbo-t,v2-5-turbo,A train on a viaduct,,,10,,no,blur,0.3
turbo-i,kling/v2-5-turbo-image-to-video-pro,The flower opens,${IMG},${END},5,,no,,
k30,kling-3.0,A fox in the snow,,,8,std,yes,,
bad,kling-2.6,A kite,,,5,,no,blur,
`,
  );
  const run = await runBatchCli(dir, csv, sim);
  assert.equal(run.code, 1, run.stderr);
  const rows = Object.fromEntries(readResults(join(dir, "in.results.csv")).map((r) => [r.id, r]));
  assert.deepEqual(
    ["k26", "turbo-t", "turbo-i", "k30"].map((id) => [id, rows[id]?.status, rows[id]?.cost_usd]),
    [
      ["k26", "succeeded", "0.275"],
      ["turbo-t", "succeeded", "0.42"],
      ["turbo-i", "succeeded", "0.21"],
      ["k30", "succeeded", "0.80"], // 8 s × 20 credits (720p with sound) × $0.005
    ],
  );
  assert.match(rows.bad?.error ?? "", /column negative_prompt: KIE's kling-2\.6 takes no negative prompt/);
  const models = queryLedger<{ request_json: string }>(
    join(dir, "in.ledger.db"),
    "SELECT request_json FROM tasks ORDER BY id",
  ).map((r) => (JSON.parse(r.request_json) as { model: string }).model);
  assert.deepEqual(models, [
    "kling-2.6/text-to-video",
    "kling/v2-5-turbo-text-to-video-pro",
    "kling/v2-5-turbo-image-to-video-pro",
    "kling-3.0/video",
  ]);
  assert.equal(sim.stats.counters.get("kie.create.422") ?? 0, 0, "the simulator accepted every body");
});

test("kie: Kling 2.1 (standard and pro ids by mode, image-to-video only), 2.1 Master and 3.0 Turbo run with their own bodies and prices; their rules are row errors", {
  timeout: 120_000,
}, async (t) => {
  const dir = tempDir(t);
  const sim = await simFor(t);
  writeFrame(dir, "frames/photo.jpg", readFileSync(PHOTO_JPG));
  writeFrame(dir, "frames/still.png", pngBytes(640, 360));
  const csv = writeCsv(
    dir,
    "in.csv",
    `id,model,prompt,image_url,end_image_url,duration,mode,negative_prompt,cfg_scale,sound
v21-std,Kling V2.1,The flower opens,${IMG},,5,std,blur,0.4,
v21-pro,kling/v2-1-pro,The flower opens and closes,frames/photo.jpg,${END},10,pro,,,
master-t,Kling 2.1 Master,A greenhouse at dawn,,,5,,,,
turbo-t,kling/v3-turbo-text-to-video,A fox in the snow,,,8,pro,,,
turbo-i,kling 3.0 turbo,The fox turns,${IMG},,4,,,,
v21-text,kling-2.1,No image here,,,5,std,,,
v21-std-end,kling-2.1,An end frame in std,${IMG},${END},5,std,,,
v21-pro-png,kling-2.1,A PNG on the pro id,frames/still.png,,5,pro,,,
turbo-sound,kling-3.0-turbo,With sound,,,5,std,,,yes
`,
  );
  const dry = await runBatchCli(dir, csv, sim, ["--dry-run", "--json"]);
  const plan = JSON.parse(dry.stdout) as {
    prices: { model: string; mode: string; unitUsd: number | null }[];
  };
  assert.ok(
    plan.prices.some((p) => p.model === "kling-3.0-turbo" && p.unitUsd === 0.9),
    JSON.stringify(plan.prices),
  );
  const run = await runBatchCli(dir, csv, sim);
  assert.equal(run.code, 1, run.stderr);
  const rows = Object.fromEntries(readResults(join(dir, "in.results.csv")).map((r) => [r.id, r]));
  assert.deepEqual(
    ["v21-std", "v21-pro", "master-t", "turbo-t", "turbo-i"].map((id) => [
      id,
      rows[id]?.status,
      rows[id]?.cost_usd,
    ]),
    [
      ["v21-std", "succeeded", "0.125"],
      ["v21-pro", "succeeded", "0.50"], // $0.25 per 5 s pro, 10 s
      ["master-t", "succeeded", "0.80"],
      ["turbo-t", "succeeded", "0.90"], // 8 s × $0.1125 (1080p)
      ["turbo-i", "succeeded", "0.36"], // 4 s × $0.09 (720p)
    ],
  );
  assert.match(rows["v21-text"]?.error ?? "", /KIE's kling-2\.1 \(standard\/pro\) makes image-to-video only/);
  assert.match(
    rows["v21-std-end"]?.error ?? "",
    /column mode: an end frame needs pro mode on KIE's kling-2\.1/,
  );
  assert.match(
    rows["v21-pro-png"]?.error ?? "",
    /frames\/still\.png is a PNG image, which KIE's kling-2\.1 does not take; convert it to JPEG/,
  );
  assert.match(
    rows["turbo-sound"]?.error ?? "",
    /column sound: KIE's kling-3\.0-turbo makes silent videos only/,
  );
  const bodies = bodiesByPrompt(dir);
  assert.deepEqual(bodies["The flower opens"], {
    model: "kling/v2-1-standard",
    input: {
      prompt: "The flower opens",
      duration: "5",
      negative_prompt: "blur",
      cfg_scale: 0.4,
      image_url: IMG,
    },
  });
  assert.equal(bodies["The flower opens and closes"]?.model, "kling/v2-1-pro");
  assert.equal(bodies["The flower opens and closes"]?.input.tail_image_url, END);
  assert.deepEqual(bodies["A greenhouse at dawn"], {
    model: "kling/v2-1-master-text-to-video",
    input: { prompt: "A greenhouse at dawn", duration: "5", aspect_ratio: "16:9" },
  });
  assert.deepEqual(bodies["A fox in the snow"]?.input, {
    prompt: "A fox in the snow",
    duration: "8",
    aspect_ratio: "16:9",
    resolution: "1080p",
  });
  assert.deepEqual(bodies["The fox turns"], {
    model: "kling/v3-turbo-image-to-video",
    input: { prompt: "The fox turns", image_urls: [IMG], duration: "4", resolution: "720p" },
  });
});

test("kie: Hailuo 2.3, Wan 2.5 and Seedance 1.0 run beside Kling with their own bodies and prices (Seedance's unknown); their rules are row errors; the price table shows them", {
  timeout: 120_000,
}, async (t) => {
  const dir = tempDir(t);
  const sim = await simFor(t);
  const csv = writeCsv(
    dir,
    "in.csv",
    `id,model,prompt,image_url,end_image_url,duration,mode,resolution,negative_prompt,aspect_ratio
k26,kling-2.6,A cat surfing,,,5,,,,
hailuo,Hailuo 2.3,The dancer bows,${IMG},,6,pro,1080p,,
hailuo-std,hailuo/2-3-image-to-video-standard,The dancer turns,${IMG},,10,,,,
wan-t,Wan 2.5,A jazz bar at night,,,10,,1080p,blur,9:16
wan-i,wan/2-5-image-to-video,The bar fills up,${IMG},,5,,,,
seed-t,Seedance 1.0 Pro,A golden retriever in the surf,,,5,,480p,,
seed-i,bytedance/v1-lite-image-to-video,The dog shakes off,${IMG},${END},10,,,,
hailuo-text,hailuo-2.3,No image for an image-only model,,,6,,,,
hailuo-10-1080,hailuo-2.3,Too long at 1080p,${IMG},,10,,1080p,,
wan-4k,wan-2.5,A 4k wish,,,5,,4k,,
wan-long,wan-2.5,${"x".repeat(801)},,,5,,,,
seed-mode,seedance-1.0-lite,With a mode,,,5,pro,,,
tier-clash,hailuo 2.3 standard,A standard name in pro mode,${IMG},,6,pro,,,
`,
  );
  const dry = await runBatchCli(dir, csv, sim, ["--dry-run", "--json"]);
  const plan = JSON.parse(dry.stdout) as {
    prices: { model: string; mode: string | null; unitUsd: number | null }[];
  };
  const priced = Object.fromEntries(plan.prices.map((p) => [`${p.model} ${p.mode ?? ""}`.trim(), p.unitUsd]));
  assert.equal(priced["wan-2.5 1080p"], 1, JSON.stringify(plan.prices));
  assert.equal(priced["hailuo-2.3 pro 1080p"], 0.4);
  assert.equal(priced["hailuo-2.3 std"], 0.25, "the tier its id names: standard");
  assert.equal(priced["seedance-1.0-pro 480p"], null, "no documented price: unknown, never $0");

  const run = await runBatchCli(dir, csv, sim, ["--allow-unknown-price"]);
  assert.equal(run.code, 1, run.stderr);
  const rows = Object.fromEntries(readResults(join(dir, "in.results.csv")).map((r) => [r.id, r]));
  assert.deepEqual(
    ["k26", "hailuo", "hailuo-std", "wan-t", "wan-i", "seed-t", "seed-i"].map((id) => [
      id,
      rows[id]?.status,
      rows[id]?.cost_usd,
    ]),
    [
      ["k26", "succeeded", "0.275"],
      ["hailuo", "succeeded", "0.40"], // pro, 6 s, 1080p
      ["hailuo-std", "succeeded", "0.25"], // standard (from the id), 10 s, 768p
      ["wan-t", "succeeded", "1.00"], // 10 s at 1080p
      ["wan-i", "succeeded", "0.30"], // 5 s at 720p
      ["seed-t", "succeeded", rows["seed-t"]?.cost_usd],
      ["seed-i", "succeeded", rows["seed-i"]?.cost_usd],
    ],
  );
  assert.match(rows["hailuo-text"]?.error ?? "", /KIE's hailuo-2\.3 makes image-to-video only/);
  assert.match(
    rows["hailuo-10-1080"]?.error ?? "",
    /column duration: KIE's hailuo-2\.3 makes no 10 s videos at 1080p/,
  );
  assert.match(
    rows["wan-4k"]?.error ?? "",
    /column resolution: KIE's wan-2\.5 makes 720p or 1080p videos, not 4k/,
  );
  assert.match(rows["wan-long"]?.error ?? "", /801 characters; KIE's wan-2\.5 allows at most 800/);
  assert.match(rows["seed-mode"]?.error ?? "", /column mode: KIE's seedance-1\.0-lite takes no mode/);
  assert.match(
    rows["tier-clash"]?.error ?? "",
    /column mode: the model "hailuo 2\.3 standard" names the standard tier, but the row asks for pro/,
  );
  const bodies = bodiesByPrompt(dir);
  assert.deepEqual(bodies["The dancer bows"], {
    model: "hailuo/2-3-image-to-video-pro",
    input: { prompt: "The dancer bows", image_url: IMG, duration: "6", resolution: "1080P" },
  });
  assert.equal(bodies["The dancer turns"]?.model, "hailuo/2-3-image-to-video-standard");
  assert.deepEqual(bodies["A jazz bar at night"], {
    model: "wan/2-5-text-to-video",
    input: {
      prompt: "A jazz bar at night",
      duration: "10",
      resolution: "1080p",
      negative_prompt: "blur",
      aspect_ratio: "9:16",
    },
  });
  assert.deepEqual(bodies["A golden retriever in the surf"], {
    model: "bytedance/v1-pro-text-to-video",
    input: {
      prompt: "A golden retriever in the surf",
      duration: "5",
      resolution: "480p",
      aspect_ratio: "16:9",
    },
  });
  assert.deepEqual(bodies["The dog shakes off"]?.input, {
    prompt: "The dog shakes off",
    duration: "10",
    resolution: "720p",
    image_url: IMG,
    end_image_url: END,
  });
});
