import { randomBytes } from "node:crypto";
import { mkdirSync, rmSync, statSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { UserError } from "../util/errors.js";
import { setting } from "../util/setting-name.js";
import type { BatchPaths } from "./paths.js";

function kindOf(path: string): "file" | "folder" | "none" {
  try {
    return statSync(path).isDirectory() ? "folder" : "file";
  } catch {
    return "none";
  }
}

/** Creates `dir` if needed and proves a file can be written in it. */
function probeFolder(dir: string, what: string): void {
  const probe = join(dir, `.vidbatch-probe-${randomBytes(4).toString("hex")}`);
  try {
    mkdirSync(dir, { recursive: true });
    writeFileSync(probe, "");
    rmSync(probe, { force: true });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? "error";
    const why = code === "ENOTDIR" || code === "EEXIST" ? "a file stands in the way" : code;
    throw new UserError(
      "OUTPUT_UNWRITABLE",
      `cannot write ${what} in ${dir} (${why}). Choose another folder; nothing was submitted.`,
    );
  }
}

/**
 * Every place the run writes to, checked before the first (paid) submission: the results CSV is not
 * a folder and is not the input itself; the videos folder and the results' folder can be written.
 */
export function checkOutputs(input: string, paths: BatchPaths): void {
  const source = resolve(input);
  for (const [flag, path] of [
    ["paths.results", paths.out],
    ["paths.ledger", paths.ledger],
    ["paths.videosDir", paths.videosDir],
  ] as const) {
    if (resolve(path) === source)
      throw new UserError(
        "OUTPUT_UNWRITABLE",
        `${setting(flag)} ${path} is the input file itself; it would be overwritten. Nothing was submitted.`,
      );
  }
  if (kindOf(paths.out) === "folder")
    throw new UserError(
      "OUTPUT_UNWRITABLE",
      `${setting("paths.results")} ${paths.out} is a folder; name the results CSV file. Nothing was submitted.`,
    );
  if (kindOf(paths.videosDir) === "file")
    throw new UserError(
      "OUTPUT_UNWRITABLE",
      `${setting("paths.videosDir")} ${paths.videosDir} is a file; name a folder. Nothing was submitted.`,
    );
  probeFolder(dirname(paths.out), "the results CSV");
  probeFolder(paths.videosDir, "videos");
}
