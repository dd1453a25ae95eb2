import { createHash } from "node:crypto";
import { createReadStream, readFileSync } from "node:fs";
import { pipeline } from "node:stream/promises";

/** This vidbatch's version: a new one may read or validate rows differently, so it plans again. */
function ownVersion(): string {
  try {
    const pkg = JSON.parse(readFileSync(new URL("../../../package.json", import.meta.url), "utf8")) as {
      version?: string;
    };
    return pkg.version ?? "?";
  } catch {
    return "?";
  }
}

/**
 * What a plan depends on: the input's bytes, the settings that shape its rows (provider, defaults
 * for empty cells, --map, the sheet) and vidbatch's version. Equal fingerprints mean reading the
 * input again would change nothing in the ledger.
 */
export async function fingerprintInput(path: string, settings: unknown): Promise<string> {
  const hash = createHash("sha256");
  hash.update(`${ownVersion()}\n${JSON.stringify(settings)}\n`);
  await pipeline(createReadStream(path), hash);
  return hash.digest("hex");
}
