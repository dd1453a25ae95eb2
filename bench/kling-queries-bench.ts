/**
 * Kling status calls, legacy against the current standard (no assertions). `npm run bench:kling-queries`.
 * The same batch of 22 Kling 2.6 rows on the simulator, followed with an AccessKey/SecretKey pair
 * (one status call per task per poll) and with an API key (batched `GET /tasks?task_ids=`), at
 * three generation times: status calls per task over the whole run, and the wall time.
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { runVideoBatch } from "../src/index.js";
import { startSimulator } from "../src/simulator/simulator.js";

const ROWS = 22;
const dir = mkdtempSync(join(tmpdir(), "vidbatch-kling-queries-"));
const lines = [
  "prompt,model,duration,mode",
  ...Array.from({ length: ROWS }, (_, i) => `Shot ${i + 1},kling-2.6,5,std`),
];
const AUTH = {
  "AK/SK (legacy)": { KLING_ACCESS_KEY: "sim-kling-access-key", KLING_SECRET_KEY: "sim-kling-secret-key" },
  "API key (current)": { KLING_API_KEY: "sim-kling-api-key" },
};
try {
  for (const [genTimeMs, pollIntervalMs] of [
    [1_500, 50],
    [12_000, 3_000],
    [30_000, 3_000],
  ] as const) {
    for (const [label, env] of Object.entries(AUTH)) {
      const input = join(dir, `batch-${genTimeMs}-${label.slice(0, 2)}.csv`);
      writeFileSync(input, `${lines.join("\n")}\n`);
      const sim = await startSimulator({ genTimeMs, genJitter: 0.3 });
      try {
        const started = performance.now();
        const report = await runVideoBatch(
          { input, provider: "kling", baseUrl: sim.url, concurrency: 25, pollIntervalMs },
          { env },
        );
        const seconds = (performance.now() - started) / 1000;
        const calls = label.startsWith("API")
          ? (sim.stats.counters.get("kling.tasks-query") ?? 0)
          : (sim.stats.counters.get("kling.status") ?? 0);
        console.log(
          `${genTimeMs / 1000} s ±30 % generations, --poll-interval ${pollIntervalMs / 1000}: ${label}: ${calls} status calls for ${report.counts.succeeded ?? 0} tasks (${(calls / ROWS).toFixed(2)} a task), ${seconds.toFixed(1)} s`,
        );
      } finally {
        await sim.close();
      }
    }
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
