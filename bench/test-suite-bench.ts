/**
 * The test suite, in figures: runs `npm test` (build included) as CI does and prints how many tests
 * ran, passed, failed and were skipped, and the wall time. The README's figures
 * come from this, not from memory. Run with `npm run bench:tests`.
 */
import { spawnSync } from "node:child_process";

const started = Date.now();
const run = spawnSync("npm", ["test"], { encoding: "utf8", maxBuffer: 256 * 1024 * 1024 });
const wallS = (Date.now() - started) / 1000;
const out = `${run.stdout}\n${run.stderr}`;
const figure = (name: string) => Number(new RegExp(`^# ${name} (\\d+)`, "m").exec(out)?.[1] ?? Number.NaN);
console.log(
  `npm test: ${figure("tests")} tests, ${figure("pass")} passed, ${figure("fail")} failed, ${figure("skipped")} skipped`,
);
console.log(`wall ${wallS.toFixed(0)} s (build included); exit code ${run.status}`);
process.exitCode = run.status ?? 1;
