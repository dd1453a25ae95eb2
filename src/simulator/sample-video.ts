import { existsSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const cached = new Map<string, Buffer>();

/**
 * The real, playable MP4 (2 s, with sound) that the simulator serves as every result: 192×108, or
 * 108×192 for a task that asked for 9:16.
 */
export function sampleVideo(portrait = false): Buffer {
  const name = portrait ? "sample-portrait.mp4" : "sample.mp4";
  const known = cached.get(name);
  if (known) return known;
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 6; i++) {
    const candidate = join(dir, "assets", name);
    if (existsSync(candidate)) {
      const bytes = readFileSync(candidate);
      cached.set(name, bytes);
      return bytes;
    }
    dir = dirname(dir);
  }
  throw new Error(`assets/${name} is missing from the vidbatch installation`);
}
