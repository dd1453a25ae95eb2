/**
 * Polling end to end, against the simulator over real HTTP on 127.0.0.1, by polling alone (no
 * callbacks): the two batches of the polling issue, in one run (about five minutes, most of it the
 * Kling batch's real 30 s generations). Prints, per batch: the notice lag (from the simulator's own
 * end of each generation to the ledger's `finished_at`) as percentiles and as a share of the
 * generation time, status calls per task, 429s, the gap between a finish being noticed and the next
 * create (a freed slot refilled), and the makespan over the ideal one (the same generation times,
 * the same create rate and slots, every finish noticed at once). Asserts nothing.
 * Run with `npm run bench:polling-e2e`.
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Database from "better-sqlite3";
import { runVideoBatch } from "../src/index.js";
import { startSimulator } from "../src/simulator/simulator.js";

interface Batch {
  name: string;
  provider: "kie" | "kling";
  rows: number;
  genMs: number;
  jitter: number;
  concurrency: number;
  createsPerSecond: number;
}

const BATCHES: Batch[] = [
  {
    name: "KIE, rate-bound: 60 rows, 12 s ± 5%, 2 creates/s",
    provider: "kie",
    rows: 60,
    genMs: 12_000,
    jitter: 0.05,
    concurrency: 40,
    createsPerSecond: 2,
  },
  {
    name: "Kling, concurrency 5: 40 rows, 30 s ± 30%",
    provider: "kling",
    rows: 40,
    genMs: 30_000,
    jitter: 0.3,
    concurrency: 5,
    createsPerSecond: 5,
  },
];

const quantile = (xs: number[], q: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(q * s.length))] ?? Number.NaN;
};

/** The makespan with every finish noticed at once: creates at the rate, on the slots, in the order made. */
function idealMakespan(lengths: number[], slots: number, createsPerSecond: number): number {
  const free = Array.from({ length: slots }, () => 0);
  let nextCreate = 0;
  let end = 0;
  for (const length of lengths) {
    free.sort((a, b) => a - b);
    const start = Math.max(free[0] as number, nextCreate);
    nextCreate = start + 1000 / createsPerSecond;
    free[0] = start + length;
    end = Math.max(end, start + length);
  }
  return end;
}

for (const batch of BATCHES) {
  const dir = mkdtempSync(join(tmpdir(), "vidbatch-polling-e2e-"));
  const sim = await startSimulator({
    apiKey: "sim-key",
    genTimeMs: batch.genMs,
    genJitter: batch.jitter,
    createLimit: { max: 20, windowMs: 10_000 },
  });
  try {
    const csv = join(dir, "in.csv");
    writeFileSync(
      csv,
      `prompt\n${Array.from({ length: batch.rows }, (_, i) => `Shot ${i + 1} of a quiet harbour`).join("\n")}\n`,
    );
    const env =
      batch.provider === "kie"
        ? { KIE_API_KEY: "sim-key" }
        : { KLING_ACCESS_KEY: "sim-kling-access-key", KLING_SECRET_KEY: "sim-kling-secret-key" };
    const started = Date.now();
    const report = await runVideoBatch(
      {
        input: csv,
        provider: batch.provider,
        baseUrl: sim.url,
        concurrency: batch.concurrency,
        submitRate: { max: batch.createsPerSecond, windowMs: 1000 },
        report: false,
      },
      { env },
    );
    const wall = Date.now() - started;
    const db = new Database(join(dir, "in.ledger.db"), { readonly: true });
    const tasks = db
      .prepare(
        "SELECT task_id, created_at, submitted_at, finished_at FROM tasks WHERE task_id IS NOT NULL ORDER BY id",
      )
      .all() as { task_id: string; created_at: string; submitted_at: string; finished_at: string }[];
    db.close();
    const lags: number[] = [];
    const shares: number[] = [];
    const lengths: number[] = [];
    for (const t of tasks) {
      const sim0 = sim.stats.tasks.get(t.task_id);
      if (!sim0) continue;
      const noticed = Date.parse(t.finished_at);
      lags.push(noticed - sim0.readyAt);
      shares.push((noticed - sim0.readyAt) / (sim0.readyAt - sim0.createdAt));
      lengths.push(sim0.readyAt - sim0.createdAt);
    }
    // A freed slot refilled: from each notice to the first create after it (concurrency-bound only).
    const creates = tasks.map((t) => Date.parse(t.submitted_at)).sort((a, b) => a - b);
    const refills = tasks
      .map((t) => Date.parse(t.finished_at))
      .map((n) => (creates.find((c) => c >= n) ?? Number.NaN) - n)
      .filter((g) => Number.isFinite(g));
    const first = Math.min(...tasks.map((t) => Date.parse(t.created_at)));
    const last = Math.max(...tasks.map((t) => Date.parse(t.finished_at)));
    const ideal = idealMakespan(lengths, batch.concurrency, batch.createsPerSecond);
    const c = sim.stats.counters;
    const statusCalls =
      batch.provider === "kie"
        ? (c.get("kie.status") ?? 0)
        : (c.get("kling.status") ?? 0) + (c.get("kling.tasks-query") ?? 0);
    const refused =
      [...c].filter(([k]) => /\.429$/.test(k)).reduce((n, [, v]) => n + v, 0) + (c.get("kling.1303") ?? 0);
    console.log(`\n${batch.name}: ${report.counts.succeeded} succeeded in ${(wall / 1000).toFixed(0)} s`);
    console.log(
      `  notice lag: median ${(quantile(lags, 0.5) / 1000).toFixed(2)} s (${(quantile(shares, 0.5) * 100).toFixed(1)}% of T), 90th ${(quantile(lags, 0.9) / 1000).toFixed(2)} s (${(quantile(shares, 0.9) * 100).toFixed(1)}%)`,
    );
    console.log(
      `  status calls: ${statusCalls} (${(statusCalls / tasks.length).toFixed(2)} a task); 429s: ${refused}`,
    );
    if (batch.concurrency <= 5)
      console.log(`  notice → next create: median ${quantile(refills, 0.5).toFixed(0)} ms`);
    console.log(
      `  makespan ${((last - first) / 1000).toFixed(1)} s, ideal ${(ideal / 1000).toFixed(1)} s: ${((last - first) / ideal).toFixed(3)} × the ideal`,
    );
  } finally {
    await sim.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
