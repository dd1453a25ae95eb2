/**
 * Frames from disk, in figures (no assertions). Run with `npm run bench:frames`.
 * 1. Checking: a sheet of 1,000 rows naming 500 distinct 1 MiB PNG frames (each named twice),
 *    priced with a dry run: every file read once, hashed and checked — rows and MiB per second.
 * 2. Uploading: the same sheet run against the simulator on KIE (uploads on 127.0.0.1): uploads
 *    made (one per distinct file), the run's wall time, and a resume's uploads (none).
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { priceBatch, runVideoBatch } from "../src/index.js";
import { startSimulator } from "../src/simulator/simulator.js";
import { pngBytes } from "../test/helpers/frames.js";

const FILES = 500;
const ROWS = 1_000;
const FILE_BYTES = 1024 * 1024;

const dir = mkdtempSync(join(tmpdir(), "vidbatch-frames-bench-"));
try {
  mkdirSync(join(dir, "frames"));
  for (let i = 0; i < FILES; i++) {
    const frame = pngBytes(640, 360, { shade: i % 256, padTo: FILE_BYTES });
    frame.writeUInt32BE(i, frame.length - 40); // distinct content (inside the padding) even when shades repeat
    writeFileSync(join(dir, "frames", `f${i}.png`), frame);
  }
  const csv = join(dir, "sheet.csv");
  const lines = ["prompt,image_url"];
  for (let i = 0; i < ROWS; i++) lines.push(`Shot ${i},frames/f${i % FILES}.png`);
  writeFileSync(csv, `${lines.join("\n")}\n`);

  let t = performance.now();
  const priced = await priceBatch({ input: csv }, { env: {} });
  const checkMs = performance.now() - t;
  console.log(
    `checking: ${ROWS} rows naming ${FILES} distinct ${FILE_BYTES / 1048576} MiB frames in ${(checkMs / 1000).toFixed(2)} s` +
      ` (${Math.round(ROWS / (checkMs / 1000))} rows/s, ${Math.round((FILES * FILE_BYTES) / 1048576 / (checkMs / 1000))} MiB/s read and hashed; ${priced.plan.invalid} invalid)`,
  );

  const sim = await startSimulator({
    apiKey: "bench",
    genTimeMs: 200,
    createLimit: { max: 10_000, windowMs: 1000 },
    statusPerSecond: 10_000,
  });
  try {
    const settings = {
      input: csv,
      baseUrl: sim.url,
      concurrency: 50,
      pollIntervalMs: 100,
      submitRate: { max: 10_000, windowMs: 1000 },
      statusRate: { max: 10_000, windowMs: 1000 },
    };
    t = performance.now();
    const report = await runVideoBatch(settings, { env: { KIE_API_KEY: "bench" } });
    const runMs = performance.now() - t;
    const uploads = sim.stats.uploadedSha256.length;
    console.log(
      `uploading (KIE, simulator on 127.0.0.1, limits lifted): ${uploads} uploads for ${ROWS} rows, ${report.counts.succeeded ?? 0} succeeded in ${(runMs / 1000).toFixed(1)} s`,
    );
    await runVideoBatch(settings, { env: { KIE_API_KEY: "bench" } });
    console.log(`resume: ${sim.stats.uploadedSha256.length - uploads} uploads`);
  } finally {
    await sim.close();
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
