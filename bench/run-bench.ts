/**
 * Benchmarks that print figures (no assertions). Run with `npm run bench`.
 * 1. Planning: a 50,000-row CSV synced into a fresh ledger, then the results CSV written from it —
 *    rows per second and peak memory (memory should stay flat in the number of rows).
 * 2. A batch against the simulator at KIE's real limits (20 creates per 10 s, 10 status calls/s):
 *    wall time against the rate-limit floor, status calls per task, 429s provoked.
 */
import { spawn } from "node:child_process";
import { appendFileSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { resolveRunOptions } from "../src/cli/run-options.js";
import { openLedger } from "../src/ledger/open-ledger.js";
import { writeResultsCsv } from "../src/output/results-csv.js";
import { planRows } from "../src/plan/plan-rows.js";
import { KieProvider } from "../src/providers/kie/kie-provider.js";
import { startSimulator } from "../src/simulator/simulator.js";
import { silentLogger } from "../src/util/logger.js";

const dir = mkdtempSync(join(tmpdir(), "vidbatch-bench-"));
const mb = (n: number) => `${(n / 1024 / 1024).toFixed(0)} MiB`;

async function benchPlanning(rows: number) {
  const csv = join(dir, "big.csv");
  // Written in chunks so the benchmark's own input does not weigh on the memory figure.
  writeFileSync(csv, "id,prompt,duration,aspect_ratio,notes\n");
  for (let start = 1; start <= rows; start += 10_000) {
    const chunk: string[] = [];
    for (let i = start; i < Math.min(rows + 1, start + 10_000); i++)
      chunk.push(
        `clip-${i},"Prompt number ${i}: a drone shot over hills, golden light",${i % 2 ? 5 : 10},16:9,note ${i}\n`,
      );
    appendFileSync(csv, chunk.join(""));
  }
  let peak = process.memoryUsage().rss;
  const sampler = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage().rss);
  }, 20);
  const db = openLedger(join(dir, "big.ledger.db"));
  const provider = new KieProvider({ apiKey: "bench-key" });
  // The same defaults as `vidbatch run big.csv`.
  const { duration, aspectRatio, sound, model } = resolveRunOptions({ input: csv });
  const defaults = { duration, aspectRatio, sound, model };
  let t = performance.now();
  await planRows({ csvPath: csv, frameDir: dir, db, provider, defaults, log: silentLogger, dryRun: false });
  const planMs = performance.now() - t;
  t = performance.now();
  await planRows({ csvPath: csv, frameDir: dir, db, provider, defaults, log: silentLogger, dryRun: false });
  const replanMs = performance.now() - t;
  t = performance.now();
  await writeResultsCsv(db, join(dir, "big.results.csv"));
  const exportMs = performance.now() - t;
  clearInterval(sampler);
  db.close();
  console.log(
    `planning: ${rows} rows synced into a new ledger in ${(planMs / 1000).toFixed(2)} s (${Math.round(rows / (planMs / 1000))} rows/s)`,
  );
  console.log(`planning: re-sync of the same ${rows} rows (a resume) in ${(replanMs / 1000).toFixed(2)} s`);
  console.log(
    `results:  ${rows} rows written in ${(exportMs / 1000).toFixed(2)} s (${Math.round(rows / (exportMs / 1000))} rows/s)`,
  );
  console.log(`memory:   peak RSS ${mb(peak)} during the above`);
}

type BenchProvider = "kie" | "kling" | "wireflow";

/** How to point each provider at the simulator, and which of its counters to read. */
function providerSetup(provider: BenchProvider, url: string) {
  switch (provider) {
    case "kie":
      return {
        args: ["--base-url", url],
        env: { KIE_API_KEY: "bench-key" },
        refused: ["kie.create.429", "kie.status.429"],
      };
    case "kling":
      return {
        args: ["--provider", "kling", "--base-url", url],
        env: { KLING_ACCESS_KEY: "sim-kling-access-key", KLING_SECRET_KEY: "sim-kling-secret-key" },
        refused: ["kling.error.1302", "kling.error.1303"],
      };
    case "wireflow":
      return {
        args: ["--provider", "wireflow", "--workflow", "wf-kling26-demo", "--base-url", `${url}/api/v1`],
        env: { WIREFLOW_API_KEY: "sk-bench-key" },
        refused: ["wireflow.429", "wireflow.run.429"],
      };
  }
}

/** How tasks are followed: polling, unsigned callbacks (each confirmed by a status call), signed ones. */
type Follow = "polling" | "callbacks" | "signed callbacks";
const WEBHOOK = {
  KIE_WEBHOOK_KEY: "bench-webhook-key",
  KLING_WEBHOOK_SECRET: `whsec_${Buffer.alloc(32, 1).toString("base64")}`,
};

async function benchBatch(
  provider: BenchProvider,
  rows: number,
  genMs: number,
  concurrency: number,
  follow: Follow = "polling",
) {
  const signed = follow === "signed callbacks";
  const sim = await startSimulator({
    apiKey: "bench-key",
    genTimeMs: genMs,
    genJitter: 0.3,
    ...(signed
      ? {
          callbacks: {
            kieWebhookKey: WEBHOOK.KIE_WEBHOOK_KEY,
            klingWebhookSecret: WEBHOOK.KLING_WEBHOOK_SECRET,
          },
        }
      : {}),
  });
  const setup = providerSetup(provider, sim.url);
  const followArgs = follow === "polling" ? [] : ["--listen", "0", "--callback-poll", "60"];
  const csv = join(dir, `batch-${provider}-${follow.replace(" ", "-")}.csv`);
  writeFileSync(
    csv,
    `prompt\n${Array.from({ length: rows }, (_, i) => `Bench scene ${i + 1}`).join("\n")}\n`,
  );
  const cli = fileURLToPath(new URL("../src/cli/bin.js", import.meta.url));
  const started = performance.now();
  const code = await new Promise<number | null>((resolve) => {
    const child = spawn(
      process.execPath,
      [
        cli,
        "run",
        csv,
        ...setup.args,
        "--concurrency",
        String(concurrency),
        "--poll-interval",
        "1",
        "--quiet",
        ...followArgs,
      ],
      {
        env: { PATH: process.env.PATH ?? "", ...setup.env, ...(signed ? WEBHOOK : {}) },
        stdio: ["ignore", "ignore", "inherit"],
      },
    );
    child.on("close", resolve);
  });
  const wallS = (performance.now() - started) / 1000;
  const c = sim.stats.counters;
  const seen = c.get(`${provider}.doneSeen`) ?? 0;
  const lag =
    seen > 0
      ? `${((c.get(`${provider}.doneSeenLagMs`) ?? 0) / seen / 1000).toFixed(1)} s`
      : "n/a (no status call)";
  const refused = setup.refused.map((name) => `${c.get(name) ?? 0} ${name}`).join(", ");
  console.log(
    `batch:    ${provider} (${follow}), ${rows} rows, ${genMs / 1000} s generation ±30%, concurrency ${concurrency}: exit ${code}, ${wallS.toFixed(1)} s wall, ` +
      `${((c.get(`${provider}.status`) ?? 0) / rows).toFixed(1)} status calls per task, a finished task noticed ${lag} after it finished (mean of status checks), ` +
      `refused: ${refused}; ${sim.stats.submissions} submissions`,
  );
  await sim.close();
}

try {
  if (Number(process.env.BENCH_ROWS ?? 1) > 0) await benchPlanning(Number(process.env.BENCH_ROWS ?? 50_000));
  const batchRows = Number(process.env.BENCH_BATCH_ROWS ?? 60);
  const providers = (process.env.BENCH_PROVIDERS ?? "kie,kling,wireflow").split(",") as BenchProvider[];
  for (const provider of batchRows > 0 && process.env.BENCH_POLLING !== "0" ? providers : []) {
    // Wireflow runs at most 10 executions a minute: a smaller batch says as much in less time.
    const rows = provider === "wireflow" ? Math.min(batchRows, 20) : batchRows;
    await benchBatch(provider, rows, Number(process.env.BENCH_GEN_MS ?? 20_000), 30);
  }
  // The same batch told by completion callbacks (KIE, Kling): BENCH_CALLBACKS=0 skips it.
  for (const provider of batchRows > 0 && process.env.BENCH_CALLBACKS !== "0" ? providers : []) {
    if (provider === "wireflow") continue; // no callbacks documented
    for (const follow of ["callbacks", "signed callbacks"] as const)
      await benchBatch(provider, batchRows, Number(process.env.BENCH_GEN_MS ?? 20_000), 30, follow);
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
