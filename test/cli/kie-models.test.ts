import assert from "node:assert/strict";
import { join } from "node:path";
import { runBatchCli, simFor } from "../helpers/batch.js";
import { queryLedger, readResults, tempDir, writeCsv } from "../helpers/fixtures.js";
import { test } from "../helpers/leaks.js";

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
