import { basename, dirname, extname, join, resolve } from "node:path";

export interface BatchPaths {
  out: string;
  ledger: string;
  videosDir: string;
  /** The HTML report, beside the results. */
  report: string;
}

/** Defaults beside the input: prompts.csv → prompts.results.csv, prompts.ledger.db, prompts-videos/. */
export function defaultPaths(
  inputCsv: string,
  overrides: { out?: string; ledger?: string; videosDir?: string },
): BatchPaths {
  const dir = dirname(resolve(inputCsv));
  const name = basename(inputCsv, extname(inputCsv));
  const out = resolve(overrides.out ?? join(dir, `${name}.results.csv`));
  return {
    out,
    report: join(dirname(out), `${name}.report.html`),
    ledger: resolve(overrides.ledger ?? join(dir, `${name}.ledger.db`)),
    videosDir: resolve(overrides.videosDir ?? join(dir, `${name}-videos`)),
  };
}
