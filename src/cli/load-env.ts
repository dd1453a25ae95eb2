import { readFileSync } from "node:fs";
import { join } from "node:path";
import { parseEnv } from "node:util";

/**
 * The environment with a `.env` file from the working folder underneath it (real environment
 * variables win). Parsed the way dotenv-style files are written, by Node's own `util.parseEnv`:
 * `export` prefixes, single, double and back quotes (a `#` inside quotes is text), comments,
 * trailing spaces. Nothing is expanded or executed. Returned, not written into process.env.
 */
export function loadEnv(cwd: string, env: NodeJS.ProcessEnv): Record<string, string | undefined> {
  let text: string;
  try {
    text = readFileSync(join(cwd, ".env"), "utf8");
  } catch {
    return { ...env }; // no .env file (or none readable): the environment alone
  }
  return { ...parseEnv(text), ...env };
}
