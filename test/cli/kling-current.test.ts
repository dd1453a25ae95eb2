import assert from "node:assert/strict";
import { join } from "node:path";
import { counter, ledgerPathFor, runKlingCli, simFor, submittedOnceEach } from "../helpers/batch.js";
import { queryLedger, readResults, tempDir, writeCsv } from "../helpers/fixtures.js";
import { pngBytes, writeFrame } from "../helpers/frames.js";
import { test } from "../helpers/leaks.js";

/** The key the simulator accepts, as a user with only today's console key would set it. */
const API_KEY_ONLY = { KLING_API_KEY: "sim-kling-api-key" };

interface TaskRow {
  request_json: string;
  charged_credits: number | null;
  charged_usd: number | null;
  charge_warning: string | null;
  video_id: string | null;
  task_id: string;
}

const tasksOf = (dir: string) =>
  queryLedger<TaskRow>(
    ledgerPathFor(dir),
    "SELECT request_json, charged_credits, charged_usd, charge_warning, video_id, task_id FROM tasks ORDER BY id",
  );

test("kling with only an API key: current-standard creates, tasks followed by batched queries (far fewer calls than tasks), units charged, video ids kept", {
  timeout: 120_000,
}, async (t) => {
  const dir = tempDir(t);
  const sim = await simFor(t, { genTimeMs: 1500 });
  writeFrame(dir, "frames/start.png", pngBytes(640, 360));
  const rows = Array.from({ length: 20 }, (_, i) => `Shot ${i + 1} of a fox,kling-2.6,,5,no,std`);
  const csv = writeCsv(
    dir,
    "in.csv",
    `prompt,model,image_url,duration,sound,mode
${rows.join("\n")}
A drummer with sound,kling-2.6,,10,yes,pro
The fox turns,kling-2.6,frames/start.png,5,no,std
An old model,kling-v1,,5,no,std
`,
  );
  const dry = await runKlingCli(dir, csv, sim, ["--dry-run"], API_KEY_ONLY);
  assert.match(
    dry.stderr,
    /API key: Kling's current standard for .*kling-2\.6.*batched queries\); the legacy endpoints, with the API key, for the other models/,
  );

  const run = await runKlingCli(
    dir,
    csv,
    sim,
    ["--concurrency", "25", "--allow-unknown-price"],
    API_KEY_ONLY,
  );
  assert.equal(run.code, 0, run.stderr);
  assert.ok(readResults(join(dir, "in.results.csv")).every((r) => r.status === "succeeded"));
  assert.ok(submittedOnceEach(sim));
  assert.equal(counter(sim, "kling.tokens"), 0, "no AccessKey/SecretKey token: the API key alone");
  assert.ok(counter(sim, "kling.api-key") > 0);

  const tasks = tasksOf(dir);
  const requests = tasks.map((task) => JSON.parse(task.request_json) as Record<string, unknown>);
  const current = requests.filter((r) => typeof r.endpoint === "string");
  assert.equal(current.length, 22, "every kling-2.6 row on the current standard");
  type Current = {
    endpoint: string;
    body: Record<string, unknown> & { contents?: { type: string; text?: string; url?: string }[] };
  };
  const byPrompt = (prompt: string) =>
    current.find((r) => {
      const body = (r as unknown as Current).body;
      return body.prompt === prompt || body.contents?.[0]?.text === prompt;
    }) as unknown as Current;
  const drummer = byPrompt("A drummer with sound");
  assert.deepEqual(drummer, {
    endpoint: "/text-to-video/kling-2.6",
    body: {
      prompt: "A drummer with sound",
      settings: { resolution: "1080p", duration: 10, audio: "native", aspect_ratio: "16:9" },
      options: { external_task_id: (drummer.body.options as { external_task_id: string }).external_task_id },
    },
  });
  const image = byPrompt("The fox turns");
  assert.equal(image.endpoint, "/image-to-video/kling-2.6");
  assert.match(
    image.body.contents?.[1]?.url ?? "",
    /^file:\/\/.*start\.png#sha256=/,
    "the ledger keeps the frame's reference",
  );
  assert.ok(
    requests.some((r) => r.model_name === "kling-v1" && r.prompt === "An old model"),
    "a legacy-only model goes to the legacy endpoint",
  );

  // The engine checked each task several times; those checks shared queries: far fewer calls than
  // checks, each asking about several tasks (a ratio, so a slow machine's longer run does not matter).
  const queries = counter(sim, "kling.tasks-query");
  const ids = counter(sim, "kling.tasks-query.ids");
  const checks =
    queryLedger<{ n: number }>(
      ledgerPathFor(dir),
      "SELECT SUM(polls) AS n FROM tasks WHERE request_json LIKE '{\"endpoint\"%'",
    )[0]?.n ?? 0;
  assert.ok(queries > 0 && queries * 2 <= checks, `${queries} queries for ${checks} checks of 22 tasks`);
  assert.ok(ids / queries >= 2, `${(ids / queries).toFixed(1)} tasks a query`);
  for (const task of tasks) {
    assert.ok(task.charged_credits !== null && task.charged_credits > 0, "units from billing[]");
    assert.equal(task.video_id, `v${task.task_id}`);
  }
});

test("kling (API key): a create whose answer was lost is found by external_task_ids, never paid twice", {
  timeout: 120_000,
}, async (t) => {
  const dir = tempDir(t);
  const sim = await simFor(t, { faults: { createDropRate: 1 } });
  const csv = writeCsv(dir, "in.csv", "prompt,model\nA lake at dawn,kling-2.6\nA busy street,kling-2.6\n");
  const run = await runKlingCli(dir, csv, sim, [], API_KEY_ONLY);
  assert.equal(run.code, 0, run.stderr);
  assert.deepEqual(
    readResults(join(dir, "in.results.csv")).map((r) => r.status),
    ["succeeded", "succeeded"],
  );
  assert.equal(sim.stats.submissions, 2, "each row created once");
  assert.ok(counter(sim, "kling.tasks-query") >= 2, "looked up by external id");
});

test("kling (API key): a cash charge is recorded as money (USD), or kept as the estimate with a note (CNY), never as $0", {
  timeout: 120_000,
}, async (t) => {
  for (const billing of ["cash-usd", "cash-cny"] as const) {
    const dir = tempDir(t);
    const sim = await simFor(t);
    sim.update({ kling: { ...sim.options().kling, billing } });
    const csv = writeCsv(dir, "in.csv", "prompt,model,duration,mode\nA kite,kling-2.6,5,pro\n");
    const run = await runKlingCli(dir, csv, sim, [], API_KEY_ONLY);
    assert.equal(run.code, 0, run.stderr);
    const [task] = tasksOf(dir);
    const [row] = readResults(join(dir, "in.results.csv"));
    if (billing === "cash-usd") {
      // 2.5 units at the simulator's $0.14 list price, less its 10 % discount: $0.315.
      assert.equal(task?.charged_usd, 0.315);
      assert.equal(row?.cost_usd, "0.315");
    } else {
      assert.equal(task?.charged_usd, null);
      assert.match(
        task?.charge_warning ?? "",
        /Kling charged 2\.25 CNY from the balance; no exchange rate is documented/,
      );
      assert.equal(row?.cost_usd, "0.35", "the estimate, not $0");
    }
  }
});

test("kling 3.0 Turbo needs an API key: without one it is a row error saying so; with one it runs on the current standard", {
  timeout: 60_000,
}, async (t) => {
  const dir = tempDir(t);
  const sim = await simFor(t);
  const csv = writeCsv(
    dir,
    "in.csv",
    "prompt,model,duration,mode\nA fox in the snow,kling-3.0-turbo,4,pro\n",
  );
  const legacy = await runKlingCli(dir, csv, sim);
  assert.equal(legacy.code, 1);
  assert.match(
    readResults(join(dir, "in.results.csv"))[0]?.error ?? "",
    /Kling 3\.0 Turbo is on Kling's current API only, which takes an API key: set KLING_API_KEY/,
  );
  const dir2 = tempDir(t);
  const csv2 = writeCsv(
    dir2,
    "in.csv",
    "prompt,model,duration,mode\nA fox in the snow,kling-3.0-turbo,4,pro\n",
  );
  const run = await runKlingCli(dir2, csv2, sim, ["--allow-unknown-price"], API_KEY_ONLY);
  assert.equal(run.code, 0, run.stderr);
  const [task] = tasksOf(dir2);
  assert.deepEqual(JSON.parse(task?.request_json ?? "{}").endpoint, "/text-to-video/kling-3.0-turbo");
});

test("kling: a resolution column picks the mode (720p std, 1080p pro); 4k is Kling 3.0's on the current standard, at 3 units a second", {
  timeout: 60_000,
}, async (t) => {
  const dir = tempDir(t);
  const sim = await simFor(t);
  const csv = writeCsv(
    dir,
    "in.csv",
    `id,prompt,model,duration,resolution,mode
hd,A harbour,kling-2.6,5,1080p,
uhd,A glacier,kling-3.0,5,4k,
uhd-26,A 4k wish on 2.6,kling-2.6,5,4k,
clash,720p but pro,kling-2.6,5,720p,pro
uhd-std,A 4k std,kling-3.0,5,4k,std
`,
  );
  // (Another simulator: Kling allows one /account/costs call a second.)
  const sim2 = await simFor(t);
  sim2.update({ kling: { ...sim2.options().kling, billing: "cash-usd" } });
  const legacy = await runKlingCli(dir, csv, sim2, ["--dry-run"]);
  assert.match(
    legacy.stderr,
    /line 3, column resolution: 4k is Kling 3\.0's only, on Kling's current standard \(set KLING_API_KEY\)/,
  );
  const run = await runKlingCli(dir, csv, sim, [], API_KEY_ONLY);
  assert.equal(run.code, 1, run.stderr);
  const rows = Object.fromEntries(readResults(join(dir, "in.results.csv")).map((r) => [r.id, r]));
  assert.equal(rows.hd?.status, "succeeded");
  assert.equal(rows.uhd?.status, "succeeded");
  assert.equal(rows.uhd?.cost_usd, "2.10", "3 units a second × 5 s × $0.14");
  assert.match(rows["uhd-26"]?.error ?? "", /column resolution: 4k is Kling 3\.0's only/);
  assert.match(rows.clash?.error ?? "", /column resolution: 720p is std mode, but the row asks for pro/);
  assert.match(
    rows["uhd-std"]?.error ?? "",
    /column resolution: 4k is neither std \(720p\) nor pro \(1080p\)/,
  );
  const bodies = tasksOf(dir).map(
    (task) => JSON.parse(task.request_json) as { body: { prompt: string; settings: { resolution: string } } },
  );
  assert.deepEqual(bodies.map((b) => [b.body.prompt, b.body.settings.resolution]).sort(), [
    ["A glacier", "4k"],
    ["A harbour", "1080p"],
  ]);
});

test("kling (API key): an account that pays from a cash balance is shown its balance (the latest deduction's), not $0 and a warning", {
  timeout: 60_000,
}, async (t) => {
  const dir = tempDir(t);
  const sim = await simFor(t);
  sim.update({ kling: { ...sim.options().kling, billing: "cash-usd" } });
  const csv = writeCsv(dir, "in.csv", "prompt,model\nA kite,kling-2.6\n");
  const dry = await runKlingCli(dir, csv, sim, ["--dry-run"], API_KEY_ONLY);
  assert.match(dry.stderr, /kling balance: 140,000 USD in the cash balance after the last deduction \(/);
  assert.doesNotMatch(dry.stderr, /more than the balance/);
  // With the key pair only, the packs are all there is to read: none online, and no "$0" said.
  // (Another simulator: Kling allows one /account/costs call a second.)
  const sim2 = await simFor(t);
  sim2.update({ kling: { ...sim2.options().kling, billing: "cash-usd" } });
  const legacy = await runKlingCli(dir, csv, sim2, ["--dry-run"]);
  assert.match(
    legacy.stderr,
    /kling balance: no resource-pack units online \(a cash balance shows only after its first deduction\)/,
  );
  assert.doesNotMatch(legacy.stderr, /more than the balance/);
});

test("kling (API key): completion callbacks of current-standard tasks are read and used", {
  timeout: 60_000,
}, async (t) => {
  const dir = tempDir(t);
  const sim = await simFor(t, { genTimeMs: 800 });
  const csv = writeCsv(
    dir,
    "in.csv",
    "prompt,model\nA lake,kling-2.6\nA street,kling-2.6\nA field,kling-3.0\n",
  );
  const run = await runKlingCli(dir, csv, sim, ["--listen", "0", "--allow-unknown-price"], API_KEY_ONLY);
  assert.equal(run.code, 0, run.stderr);
  assert.match(run.stderr, /Callbacks: \d+ received \([1-9]\d* used/);
  assert.equal(counter(sim, "callbacks.describe-failed"), 0);
  assert.ok(submittedOnceEach(sim));
});

test("--resubmit-unknown never resubmits a row whose lookup by external id failed: it stays unknown until a lookup answers", {
  timeout: 120_000,
}, async (t) => {
  const dir = tempDir(t);
  // Every create reaches Kling but its answer is lost, and every lookup fails too.
  const sim = await simFor(t, { faults: { createDropRate: 1, status5xxRate: 1 } });
  const csv = writeCsv(dir, "in.csv", "prompt,model\nA lake,kling-2.6\nA street,kling-2.6\n");
  const first = await runKlingCli(dir, csv, sim, [], API_KEY_ONLY);
  assert.notEqual(first.code, 0);
  assert.deepEqual(
    readResults(join(dir, "in.results.csv")).map((r) => r.status),
    ["unknown", "unknown"],
  );
  assert.equal(sim.stats.submissions, 2);
  sim.update({ faults: { createDropRate: 0, status5xxRate: 1 } });
  const blind = await runKlingCli(dir, csv, sim, ["--resubmit-unknown"], API_KEY_ONLY);
  assert.match(blind.stderr, /--resubmit-unknown: 2 row\(s\) stay unknown: kling did not answer the lookup/);
  assert.equal(sim.stats.submissions, 2, "nothing paid twice");
  sim.update({ faults: { status5xxRate: 0 } });
  const settled = await runKlingCli(dir, csv, sim, ["--resubmit-unknown"], API_KEY_ONLY);
  assert.equal(settled.code, 0, settled.stderr);
  assert.deepEqual(
    readResults(join(dir, "in.results.csv")).map((r) => r.status),
    ["succeeded", "succeeded"],
  );
  assert.equal(sim.stats.submissions, 2, "the lookups found both tasks: each row paid once");
});

test("kling: tasks made with the API key, resumed with only the key pair, stop the run before anything is submitted, saying which key to set", {
  timeout: 60_000,
}, async (t) => {
  const dir = tempDir(t);
  const sim = await simFor(t, { genTimeMs: 60_000 });
  const csv = writeCsv(
    dir,
    "in.csv",
    "prompt,model\nA lake,kling-2.6\nA street,kling-2.6\nAn old model,kling-v1\n",
  );
  // The first run makes its tasks and stops following them at once (they run for a minute).
  const first = await runKlingCli(
    dir,
    csv,
    sim,
    ["--task-timeout", "0.01", "--allow-unknown-price"],
    API_KEY_ONLY,
  );
  assert.equal(first.code, 3, first.stderr);
  const submitted = sim.stats.submissions;
  const pairOnly = await runKlingCli(dir, csv, sim, ["--allow-unknown-price"]);
  assert.equal(pairOnly.code, 2, pairOnly.stderr);
  assert.match(
    pairOnly.stderr,
    /2 task\(s\) still in flight cannot be followed with the keys given: .*set KLING_API_KEY\. Nothing was submitted/,
  );
  assert.equal(sim.stats.submissions, submitted);
});
