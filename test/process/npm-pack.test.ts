import assert from "node:assert/strict";
import { execFileSync, spawnSync } from "node:child_process";
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { tempDir } from "../helpers/fixtures.js";
import { test } from "../helpers/leaks.js";

const ROOT = join(import.meta.dirname, "..", "..", "..");
const npm = (args: string[], cwd: string) =>
  execFileSync("npm", args, {
    cwd,
    encoding: "utf8",
    stdio: ["ignore", "pipe", "pipe"],
    env: { ...process.env, npm_config_loglevel: "error" },
  });

test("the package installs from its tarball and runs: vidbatch --help and a simulated batch", {
  timeout: 300_000,
}, async (t) => {
  const dir = tempDir(t);
  // Packed from the build the test run made (no second build while other tests read dist/).
  const packed = JSON.parse(npm(["pack", "--ignore-scripts", "--json", "--pack-destination", dir], ROOT)) as {
    filename: string;
    files: { path: string }[];
  }[];
  const tarball = join(dir, packed[0]?.filename as string);
  const files = (packed[0]?.files ?? []).map((f) => f.path);
  assert.ok(files.includes("dist/src/cli/bin.js"));
  assert.ok(files.includes("samples/prompts.csv"));
  assert.ok(
    !files.some((f) => f.startsWith("dist/test/") || f.startsWith("src/")),
    "only the built program ships",
  );

  const app = join(dir, "app");
  mkdirSync(app);
  npm(["init", "-y"], app);
  // Dependencies come from the registry (or npm's cache); better-sqlite3's native build is copied
  // from this checkout instead of compiled a second time (a minute of both cores).
  npm(["install", "--ignore-scripts", "--no-audit", "--no-fund", "--prefer-offline", tarball], app);
  const release = join("node_modules", "better-sqlite3", "build", "Release");
  mkdirSync(join(app, release), { recursive: true });
  copyFileSync(join(ROOT, release, "better_sqlite3.node"), join(app, release, "better_sqlite3.node"));

  const bin = join(app, "node_modules", ".bin", "vidbatch");
  const help = spawnSync(bin, ["--help"], { cwd: app, encoding: "utf8" });
  assert.equal(help.status, 0, help.stderr);
  assert.match(help.stdout, /vidbatch run <input>/);
  assert.match(help.stdout, /Examples:/);
  assert.match(spawnSync(bin, ["--version"], { encoding: "utf8" }).stdout.trim(), /^\d+\.\d+\.\d+$/);

  copyFileSync(join(app, "node_modules", "vidbatch", "samples", "prompts.csv"), join(app, "prompts.csv"));
  const run = spawnSync(bin, ["run", "prompts.csv", "--simulate", "--no-report"], {
    cwd: app,
    encoding: "utf8",
    timeout: 120_000,
  });
  assert.equal(run.status, 0, run.stderr);
  assert.match(run.stderr, /Finished after .*: 12 succeeded/);
  assert.equal(readdirSync(join(app, "prompts-videos")).length, 12);
  assert.ok(existsSync(join(app, "prompts.results.csv")));

  // The public API from the installed package: the README's example, run as a user would.
  assert.ok(files.includes("dist/src/index.d.ts"), "the library's types ship");
  const lib = join(app, "lib");
  mkdirSync(lib);
  copyFileSync(join(app, "prompts.csv"), join(lib, "prompts.csv"));
  writeFileSync(join(lib, "example.mjs"), readmeExample());
  const example = spawnSync(process.execPath, ["example.mjs"], {
    cwd: lib,
    encoding: "utf8",
    timeout: 120_000,
    env: { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "/tmp" },
  });
  assert.equal(example.status, 0, example.stderr);
  // Twelve rows reported as they finished, then the report: every row succeeded, the money counted.
  assert.equal(example.stdout.match(/^line \d+: .*prompts-videos\/.+\.mp4$/gm)?.length, 12, example.stdout);
  assert.match(example.stdout, /^finished \{"succeeded":12\} \$\d+\.\d\d$/m);
  assert.equal(readdirSync(join(lib, "prompts-videos")).length, 12);
});

/** The README's "Use it from code" example, exactly as printed there. */
function readmeExample(): string {
  const readme = readFileSync(join(ROOT, "README.md"), "utf8");
  const section = readme.split(/^## Use it from code$/m)[1] ?? "";
  const code = /```js\n([\s\S]*?)```/.exec(section)?.[1];
  assert.ok(code, "the README has a js example under ## Use it from code");
  return code;
}
