import assert from "node:assert/strict";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { sampleVideo } from "../../src/simulator/sample-video.js";
import type { SimOptionsPatch } from "../../src/simulator/sim-options.js";
import { type Simulator, startSimulator } from "../../src/simulator/simulator.js";
import { type CliResult, runCli, startCli } from "./cli.js";
import { readResults } from "./fixtures.js";

export const KEY = "kie-test-key-5f1c2e9a";

/** A simulator for one test, closed when the test ends; fast generation unless told otherwise. */
export async function simFor(
  t: { after: (fn: () => Promise<void>) => void },
  patch: SimOptionsPatch = {},
): Promise<Simulator> {
  const sim = await startSimulator({ apiKey: KEY, genTimeMs: 300, genJitter: 0.3, ...patch });
  t.after(() => sim.close());
  return sim;
}

/** Flags every test run uses: the simulator, fast polls, no per-row noise. */
export function runArgs(csv: string, sim: Simulator, extra: string[] = []): string[] {
  return ["run", csv, "--base-url", sim.url, "--poll-interval", "0.05", "--task-timeout", "2", ...extra];
}

export function runBatchCli(
  dir: string,
  csv: string,
  sim: Simulator,
  extra: string[] = [],
  env: Record<string, string> = {},
): Promise<CliResult> {
  return runCli(runArgs(csv, sim, extra), { cwd: dir, env: { KIE_API_KEY: KEY, ...env } });
}

export function startBatchCli(dir: string, csv: string, sim: Simulator, extra: string[] = []) {
  return startCli(runArgs(csv, sim, extra), { cwd: dir, env: { KIE_API_KEY: KEY } });
}

/** True when the file is a whole copy of the simulator's sample video. */
export function isCompleteVideo(path: string, sample: Buffer): boolean {
  return existsSync(path) && readFileSync(path).equals(sample);
}

export function ledgerPathFor(dir: string, name = "in"): string {
  return join(dir, `${name}.ledger.db`);
}

/** The Kling keys the simulator accepts by default (its own test pair, nothing real). */
export const KLING_ENV = {
  KLING_ACCESS_KEY: "sim-kling-access-key",
  KLING_SECRET_KEY: "sim-kling-secret-key",
};

/** `vidbatch run --provider kling` against the simulator. */
export function runKlingCli(
  dir: string,
  csv: string,
  sim: Simulator,
  extra: string[] = [],
  env: Record<string, string> = KLING_ENV,
): Promise<CliResult> {
  return runCli(runArgs(csv, sim, ["--provider", "kling", ...extra]), { cwd: dir, env });
}

export function startKlingCli(dir: string, csv: string, sim: Simulator, extra: string[] = []) {
  return startCli(runArgs(csv, sim, ["--provider", "kling", ...extra]), { cwd: dir, env: KLING_ENV });
}

/** Each prompt reached the simulator exactly once. */
export function submittedOnceEach(sim: Simulator): boolean {
  return [...sim.stats.submissionsByPrompt.values()].every((n) => n === 1);
}

export const WIREFLOW_ENV = { WIREFLOW_API_KEY: "sk-test-wireflow-7d1e93" };

/** `vidbatch run --provider wireflow --workflow <id>` against the simulator's Wireflow API. */
export function wireflowArgs(
  csv: string,
  sim: Simulator,
  extra: string[] = [],
  workflow = "wf-kling26-demo",
) {
  return [
    "run",
    csv,
    "--provider",
    "wireflow",
    "--workflow",
    workflow,
    "--base-url",
    `${sim.url}/api/v1`,
    "--poll-interval",
    "0.05",
    "--task-timeout",
    "2",
    ...extra,
  ];
}

export function runWireflowCli(
  dir: string,
  csv: string,
  sim: Simulator,
  extra: string[] = [],
  options: { env?: Record<string, string>; workflow?: string } = {},
): Promise<CliResult> {
  return runCli(wireflowArgs(csv, sim, extra, options.workflow), {
    cwd: dir,
    env: options.env ?? WIREFLOW_ENV,
  });
}

/** After the final run: every row submitted exactly once, all succeeded, videos whole. */
export function assertEachRowPaidOnce(dir: string, sim: Awaited<ReturnType<typeof simFor>>, n: number) {
  assert.equal(sim.stats.submissionsByPrompt.size, n);
  for (const [prompt, count] of sim.stats.submissionsByPrompt)
    assert.equal(count, 1, `${prompt} was submitted ${count} times`);
  const rows = readResults(join(dir, "in.results.csv"));
  assert.equal(rows.length, n);
  for (const r of rows) {
    assert.equal(r.status, "succeeded", `${r.prompt}: ${r.error}`);
    assert.ok(isCompleteVideo(join(dir, r.video_path as string), sampleVideo()));
  }
}

/** One of the simulator's counters (0 when never counted). */
export const counter = (sim: Simulator, name: string) => sim.stats.counters.get(name) ?? 0;
