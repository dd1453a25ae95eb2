import { basename, dirname, extname, join, resolve } from "node:path";

export interface BatchPaths {
  out: string;
  ledger: string;
  videosDir: string;
  /** The HTML report, beside the results, named after the ledger when one is given. */
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
  // A report belongs to its ledger: two ledgers over one input never write the same report.
  const reportName = overrides.ledger
    ? basename(overrides.ledger).replace(/(\.ledger)?\.db$/i, "") || name
    : name;
  return {
    out,
    report: join(dirname(out), `${reportName}.report.html`),
    ledger: resolve(overrides.ledger ?? join(dir, `${name}.ledger.db`)),
    videosDir: resolve(overrides.videosDir ?? join(dir, `${name}-videos`)),
  };
}
