import { existsSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

let cached: Buffer | undefined;

/** The real, playable MP4 (2 s, 192×108, with sound) that the simulator serves as every result. */
export function sampleVideo(): Buffer {
  if (cached) return cached;
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 6; i++) {
    const candidate = join(dir, "assets", "sample.mp4");
    if (existsSync(candidate)) {
      cached = readFileSync(candidate);
      return cached;
    }
    dir = dirname(dir);
  }
  throw new Error("assets/sample.mp4 is missing from the vidbatch installation");
}
