/**
 * The fault benchmark: 1,000 rows against the simulator with every kind of fault the providers'
 * documents (and the network) allow, and kill -9 at random instants, resumed each time with the
 * same command. Prints what was injected and what the ledger made of it: rows completed,
 * submissions per row, task IDs lost, duplicate charges, crashes, wall time. No assertions: the
 * figures go in the README. Run with `npm run bench:faults` (BENCH_FAULT_ROWS, BENCH_KILLS).
 */
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import Database from "better-sqlite3";
import { createPrng } from "../src/simulator/prng.js";
import { startSimulator } from "../src/simulator/simulator.js";

const ROWS = Number(process.env.BENCH_FAULT_ROWS ?? 1000);
const KILLS = Number(process.env.BENCH_KILLS ?? 12);
const KEY = "bench-fault-key";
const cli = fileURLToPath(new URL("../src/cli/bin.js", import.meta.url));
const dir = mkdtempSync(join(tmpdir(), "vidbatch-faults-"));
const csv = join(dir, "faults.csv");
writeFileSync(csv, `prompt\n${Array.from({ length: ROWS }, (_, i) => `Fault scene ${i + 1}`).join("\n")}\n`);

// Limits raised on both sides so that the run is bound by faults, not by KIE's real pace.
const sim = await startSimulator({
  apiKey: KEY,
  genTimeMs: 1500,
  genJitter: 0.5,
  failRate: 0.02,
  seed: 42,
  errorStyle: "mixed",
  createLimit: { max: 100, windowMs: 1000 },
  statusPerSecond: 200,
  credits: 55 * Math.floor(ROWS / 3), // runs out a third of the way: a top-up follows
  resultUrlTtlMs: 4000,
  faults: {
    create429Rate: 0.1,
    create5xxRate: 0.05,
    createDropRate: 0.01,
    status5xxRate: 0.05,
    statusDropRate: 0.03,
    download5xxRate: 0.05,
    downloadTruncateRate: 0.03,
    downloadStallRate: 0.03,
  },
});

const args = [
  cli,
  "run",
  csv,
  "--base-url",
  sim.url,
  "--concurrency",
  "60",
  "--poll-interval",
  "0.3",
  "--submit-rate",
  "100/s",
  "--status-rate",
  "200/s",
  "--download-stall",
  "1",
  "--quiet",
];

function runOnce(killAfterMs?: number): Promise<number | string> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, args, {
      env: { PATH: process.env.PATH ?? "", KIE_API_KEY: KEY },
      stdio: ["ignore", "ignore", "ignore"],
    });
    const timer =
      killAfterMs === undefined ? undefined : setTimeout(() => child.kill("SIGKILL"), killAfterMs);
    child.on("close", (code, signal) => {
      clearTimeout(timer);
      resolve(code ?? signal ?? "?");
    });
  });
}

const started = performance.now();
const exits: (number | string)[] = [];
let kills = 0;
let topUps = 0;
const random = createPrng(7);
// Kill at random instants until KILLS kills landed, then let the same command run to the end.
for (let round = 0; round < KILLS + 40; round++) {
  const kill = kills < KILLS;
  const code = await runOnce(kill ? 200 + Math.floor(random() * 2500) : undefined);
  exits.push(code);
  if (code === "SIGKILL") kills++;
  if (code === 3 && (sim.stats.counters.get("kie.create.402") ?? 0) > 0 && topUps === 0) {
    sim.setCredits(1_000_000); // out of credits: the user tops up and runs the same command
    topUps++;
  }
  if (code === 0 || code === 1) break; // every row settled (1: some failed or are unknown)
}
const wallS = (performance.now() - started) / 1000;

const db = new Database(join(dir, "faults.ledger.db"), { readonly: true });
const ledgerTaskIds = new Set(
  (db.prepare("SELECT task_id FROM tasks WHERE task_id IS NOT NULL").all() as { task_id: string }[]).map(
    (r) => r.task_id,
  ),
);
const statusOf = new Map(
  (
    db.prepare("SELECT json_extract(input_json, '$[0]') AS prompt, status FROM jobs").all() as {
      prompt: string;
      status: string;
    }[]
  ).map((r) => [r.prompt, r.status]),
);
const byStatus = db.prepare("SELECT status, COUNT(*) AS n FROM jobs GROUP BY status").all() as {
  status: string;
  n: number;
}[];
db.close();

let notInLedger = 0;
let lost = 0;
const charges = new Map<string, number>();
for (const [id, task] of sim.stats.tasks) {
  if (task.charged()) charges.set(task.prompt, (charges.get(task.prompt) ?? 0) + 1);
  if (ledgerTaskIds.has(id)) continue;
  notInLedger++;
  // A create whose answer was lost is only excusable on a row the ledger marks unknown.
  if (statusOf.get(task.prompt) !== "unknown") lost++;
}
const duplicateCharges = [...charges.values()].filter((n) => n > 1).length;
const maxSubmissions = Math.max(...sim.stats.submissionsByPrompt.values());
const crashes = exits.filter((c) => c !== 0 && c !== 1 && c !== 3 && c !== "SIGKILL").length;
const c = sim.stats.counters;
const n = (name: string) => c.get(name) ?? 0;

console.log(
  `fault benchmark: ${ROWS} rows, KIE simulator, ${kills} kill -9, ${exits.length} runs (exits: ${exits.join(" ")})`,
);
console.log("| what | figure |");
console.log("|---|---|");
console.log(`| 429 answers to creates | ${n("kie.create.429")} |`);
console.log(`| 5xx answers (creates / status) | ${n("kie.create.500")} / ${n("kie.status.500")} |`);
console.log(`| errors sent as HTTP 200 with a body code | ${n("kie.errorAsHttp200")} |`);
console.log(
  `| connections dropped (creates / status) | ${n("kie.create.dropped")} / ${n("kie.status.dropped")} |`,
);
console.log(
  `| downloads answered 503 / truncated / stalled | ${n("files.503")} / ${n("files.truncated")} / ${n("files.stalled")} |`,
);
console.log(
  `| expired result URLs (404) and fresh links asked | ${n("files.404")} / ${n("kie.download-url")} |`,
);
console.log(`| out of credits (402), then a top-up | ${n("kie.create.402")}, ${topUps} |`);
console.log(`| resumed downloads (206) | ${n("files.206")} |`);
console.log(`| rows completed | ${byStatus.map((r) => `${r.n} ${r.status}`).join(", ")} |`);
console.log(`| submissions per row (max) | ${maxSubmissions} |`);
console.log(
  `| tasks the ledger has no ID for | ${notInLedger} (all on rows marked unknown: ${notInLedger - lost}) |`,
);
console.log(`| task IDs lost | ${lost} |`);
console.log(`| duplicate charges | ${duplicateCharges} |`);
console.log(`| crashes | ${crashes} |`);
console.log(`| wall time | ${wallS.toFixed(1)} s |`);
await sim.close();
rmSync(dir, { recursive: true, force: true });
