/**
 * Scale, end to end (prints figures, asserts nothing): a CSV of N rows run by the CLI as a child
 * process against an in-process simulator with zero generation time and raised limits — submit,
 * status, download, ledger, results CSV. Prints the dry run's time, the time to the first
 * submission of a fresh run and of a resumed one, rows per second, and the CLI's peak memory
 * (from /usr/bin/time). `BENCH_SCALE_ROWS=10000,100000 npm run bench:scale`.
 */
import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { startSimulator } from "../src/simulator/simulator.js";

const CLI = fileURLToPath(new URL("../src/cli/bin.js", import.meta.url));
const TIME = existsSync("/usr/bin/time") ? "/usr/bin/time" : undefined;

function run(args: string[], cwd: string, onStart?: (child: ReturnType<typeof spawn>) => void) {
  // BENCH_NODE_ARGS: flags for the CLI's node, e.g. "--cpu-prof --cpu-prof-dir=/tmp/prof".
  const nodeArgs = (process.env.BENCH_NODE_ARGS ?? "").split(" ").filter(Boolean);
  const argv = TIME
    ? [TIME, "-f", "PEAK_KIB %M", process.execPath, ...nodeArgs, CLI, ...args]
    : [process.execPath, ...nodeArgs, CLI, ...args];
  const child = spawn(argv[0] as string, argv.slice(1), {
    cwd,
    env: {
      ...process.env,
      KIE_API_KEY: "sk-bench",
      ...(process.env.BENCH_CHILD_NODE_OPTIONS ? { NODE_OPTIONS: process.env.BENCH_CHILD_NODE_OPTIONS } : {}),
    },
    stdio: ["ignore", "ignore", "pipe"],
    detached: true, // its own process group: a Ctrl-C reaches the CLI under /usr/bin/time too
  });
  let stderr = "";
  child.stderr?.on("data", (d) => {
    stderr += d;
    if (process.env.BENCH_ECHO) process.stderr.write(d); // the CLI's own stderr, e.g. with --import of a probe
  });
  onStart?.(child);
  return new Promise<{ code: number | null; peakMiB?: number; stderr: string }>((resolve) =>
    child.on("close", (code) => {
      const kib = Number(/PEAK_KIB (\d+)/.exec(stderr)?.[1]);
      resolve({ code, stderr, ...(kib ? { peakMiB: Math.round(kib / 1024) } : {}) });
    }),
  );
}

async function bench(rows: number) {
  const dir = mkdtempSync(join(tmpdir(), "vidbatch-scale-"));
  const csv = join(dir, "big.csv");
  const lines = ["id,prompt,duration"];
  for (let i = 1; i <= rows; i++)
    lines.push(`clip-${i},"Prompt ${i}: a drone shot over hills, golden light",5`);
  writeFileSync(csv, `${lines.join("\n")}\n`);
  const sim = await startSimulator({
    apiKey: "sk-bench",
    genTimeMs: 0,
    genJitter: 0,
    credits: 1e12,
    createLimit: { max: 1_000_000, windowMs: 1000 },
    statusPerSecond: 1_000_000,
  });
  const common = [
    "--base-url",
    sim.url,
    "--submit-rate",
    "100000/s",
    "--status-rate",
    "100000/s",
    "--poll-interval",
    "0.05",
    "--concurrency",
    "200",
    "--download-concurrency",
    process.env.BENCH_DOWNLOADS ?? "4",
    "--no-report",
    "--quiet",
  ];
  try {
    let t = Date.now();
    const dry = await run(["run", csv, "--dry-run", "--quiet"], dir);
    const dryS = (Date.now() - t) / 1000;

    // A fresh run, stopped (Ctrl-C) a third of the way through.
    t = Date.now();
    const freshStart = t;
    let firstFresh = 0;
    const watch = setInterval(() => {
      if (!firstFresh && sim.stats.submissions > 0) firstFresh = Date.now() - t;
    }, 20);
    const fresh = await run(["run", csv, ...common], dir, (child) => {
      const stopper = setInterval(() => {
        if (sim.stats.submissions >= rows * Number(process.env.BENCH_STOP_AT ?? "0.33")) {
          clearInterval(stopper);
          process.kill(-(child.pid as number), "SIGINT");
        }
      }, 20);
      child.on("close", () => clearInterval(stopper));
    });
    const freshRate = sim.stats.submissions / ((Date.now() - freshStart) / 1000);
    // Resumed: time to its first new submission, then to the end.
    const before = sim.stats.submissions;
    t = Date.now();
    let firstResumed = 0;
    const watch2 = setInterval(() => {
      if (!firstResumed && sim.stats.submissions > before) firstResumed = Date.now() - t;
    }, 20);
    const resumed = await run(["run", csv, ...common], dir);
    const wall = (Date.now() - t) / 1000;
    clearInterval(watch);
    clearInterval(watch2);
    const done = rows - before;
    console.log(
      `${rows} rows: dry run ${dryS.toFixed(1)} s${dry.peakMiB ? ` (peak ${dry.peakMiB} MiB)` : ""}; first submission ${(firstFresh / 1000).toFixed(2)} s fresh, ${(firstResumed / 1000).toFixed(2)} s resumed; ` +
        `fresh run ${Math.round(freshRate)} rows/s until stopped${fresh.peakMiB ? ` (peak ${fresh.peakMiB} MiB)` : ""}; resumed run: ${done} rows in ${wall.toFixed(1)} s = ${Math.round(done / wall)} rows/s end to end (exit ${resumed.code})${resumed.peakMiB ? `, peak ${resumed.peakMiB} MiB` : ""}`,
    );
  } finally {
    await sim.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

for (const n of (process.env.BENCH_SCALE_ROWS ?? "10000").split(",").map(Number)) await bench(n);
