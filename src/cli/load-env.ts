import { readFileSync } from "node:fs";
import { join } from "node:path";

/**
 * The environment with a `.env` file from the working folder underneath it (real environment
 * variables win). Only KEY=VALUE lines, optional `export`, quotes and # comments; nothing is
 * expanded or executed. Returned, not written into process.env.
 */
export function loadEnv(cwd: string, env: NodeJS.ProcessEnv): Record<string, string | undefined> {
  const fromFile: Record<string, string> = {};
  let text: string;
  try {
    text = readFileSync(join(cwd, ".env"), "utf8");
  } catch {
    return { ...env }; // no .env file: the environment alone
  }
  for (const raw of text.split(/\r?\n/)) {
    const m = /^\s*(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)\s*=\s*(.*)\s*$/.exec(raw);
    if (!m?.[1]) continue;
    let value = m[2] ?? "";
    const quoted = /^(["'])(.*)\1$/.exec(value);
    if (quoted) value = quoted[2] ?? "";
    else value = value.replace(/\s+#.*$/, "").trim();
    fromFile[m[1]] = value;
  }
  return { ...fromFile, ...env };
}
