import type Database from "better-sqlite3";
import { videoBaseName } from "../download/video-name.js";
import { attachFrames } from "../frames/attach-frames.js";
import { createFrameInspector } from "../frames/inspect-frames.js";
import { bindInputs, type InputBinding } from "../input/bind-inputs.js";
import {
  applyColumnMap,
  type HeaderMap,
  mapHeaders,
  normalizeHeader,
  RESULT_COLUMNS,
} from "../input/headers.js";
import { openInput } from "../input/open-input.js";
import { truncate } from "../input/parse-cells.js";
import { computeRowKey } from "../input/row-key.js";
import { columnOfField, validateRow } from "../input/validate-row.js";
import type { SpecDefaults } from "../job/job-spec.js";
import { beginInputSync, createStatusLookup } from "../ledger/input-sync.js";
import type { JobStatus } from "../ledger/types.js";
import type { Provider } from "../providers/provider.js";
import { UserError } from "../util/errors.js";
import type { Logger } from "../util/logger.js";
import { setting } from "../util/setting-name.js";
import { createPriceLines, type PriceLine } from "./price-lines.js";
import { countUnsupportedCells, createUnsupportedCounter } from "./unsupported-columns.js";

export type { PriceLine } from "./price-lines.js";

export interface Plan {
  rows: number;
  invalid: number;
  textToVideo: number;
  imageToVideo: number;
  /** Rows by the status they have in the ledger after planning (new rows are pending). */
  byStatus: Partial<Record<JobStatus, number>>;
  /** Estimated cost of the rows that are pending (still to submit) and have a known price. */
  toSubmitUsd: number;
  /** Pending rows whose price no documented table gives (never counted as $0). */
  unknownPriceRows: number;
  /** Pending rows by model, mode, duration and sound, with the unit price (undefined: unknown). */
  priceLines: PriceLine[];
  /** Which column fills which of the provider's named inputs (Wireflow), e.g. "Prompt ← prompt". */
  inputMapping: string[];
}

export interface PlanOptions {
  csvPath: string;
  /** Where relative frame paths start: the input's folder (the current one for an input read from a URL). */
  frameDir: string;
  /** The provider is on this machine (a simulator, a local proxy): image URLs there are reachable. */
  localImageHostsOk?: boolean;
  /** The ledger; null plans without one (a dry run before any run). */
  db: Database.Database | null;
  provider: Provider;
  defaults: SpecDefaults;
  /** The sheet of an .xlsx workbook (default: the first). */
  sheet?: string;
  /** `--map` pairs: which column fills which named input. */
  map?: readonly string[];
  log: Logger;
  /** Validate and count only: nothing is written to the ledger. */
  dryRun: boolean;
  /** The input's fingerprint (input-fingerprint.ts), kept with the sync. */
  fingerprint?: string;
  /** Removes every secret the run knows from a row's error before the ledger stores it. */
  redact?: (text: string) => string;
}

const MAX_PROBLEM_LINES = 50;

/**
 * Reads the input CSV row by row and brings the ledger in line with it, in one transaction: new
 * rows become pending jobs, known rows keep their state (found by their stable key), bad rows are
 * reported with line and column and recorded as invalid. Nothing is submitted here; the engine
 * takes over from the ledger and never reads the input.
 */
export async function planRows(options: PlanOptions): Promise<Plan> {
  const { log, provider } = options;
  const { records, map, bindings, inputColumns } = await openPlannedInput(options);

  const sync =
    !options.dryRun && options.db
      ? beginInputSync(
          options.db,
          {
            path: options.csvPath,
            columns: map.passThrough.map((i) => map.headers[i] as string),
            provider: provider.name,
            ...(options.fingerprint ? { fingerprint: options.fingerprint } : {}),
          },
          options.redact,
        )
      : null;
  const lookup = !sync && options.db ? createStatusLookup(options.db) : null;
  const plan: Plan = {
    rows: 0,
    invalid: 0,
    textToVideo: 0,
    imageToVideo: 0,
    byStatus: {},
    toSubmitUsd: 0,
    unknownPriceRows: 0,
    priceLines: [],
    inputMapping: bindings.map((b) => `${b.input.label} ← ${b.column}`),
  };
  const occurrences = new Map<string, number>();
  const idLines = new Map<string, number>();
  const unsupported = createUnsupportedCounter(provider, bindings);
  const priceLines = createPriceLines(provider.unsupportedFields);
  let problemLines = 0;
  const inspector = createFrameInspector(options.frameDir);
  const rewrites = new Map<string, string>();
  const rowContext = {
    frameDir: options.frameDir,
    onRewrite: (from: string, to: string) => rewrites.set(from, to),
    localHostsOk: options.localImageHostsOk === true,
  };

  try {
    for await (const record of records) {
      plan.rows++;
      const index = plan.rows;
      let { key, id } = computeRowKey(record.cells, map, occurrences, inputColumns);
      const validation = validateRow(
        record.cells,
        map,
        options.defaults,
        (spec) => provider.checkSpec(spec),
        bindings,
        rowContext,
      );
      const problems = validation.ok ? [] : [...validation.problems];
      // Local frames are read only for rows that are otherwise good, each file once per plan.
      if (validation.ok)
        for (const p of await attachFrames(
          validation.spec,
          (field) => provider.frames.rules(validation.spec, field),
          inspector,
          provider.unsupportedFields,
        ))
          problems.push({ column: columnOfField(map, bindings, p.field), message: p.message });
      if (id !== undefined) {
        const seenOn = idLines.get(id);
        if (seenOn !== undefined) {
          problems.push({
            column: headerOf(map, "id"),
            message: `the id "${truncate(id, 60)}" is already used on line ${seenOn}; ids must be unique`,
          });
          // A key no user id can produce (ids become `id:…`), so a duplicate never hides a real row.
          key = `dup:${record.line}:${id}`;
        } else idLines.set(id, record.line);
      }
      const spec = validation.ok && problems.length === 0 ? validation.spec : undefined;
      countUnsupportedCells(unsupported, record.cells, map);

      let error: string | null = null;
      if (!spec) {
        plan.invalid++;
        // One cell can fill two fields (Wireflow's image input and image_url): say each problem once.
        error = [
          ...new Set(
            problems.map((p) => `line ${record.line}, column ${truncate(p.column, 60)}: ${p.message}`),
          ),
        ].join("; ");
        if (++problemLines <= MAX_PROBLEM_LINES) log.warn(`invalid row: ${error}`);
      } else if (spec.imageUrl) plan.imageToVideo++;
      else plan.textToVideo++;
      const price = spec ? provider.estimateCost(spec) : undefined;
      const estimate = price?.usd ?? null;

      let status: JobStatus;
      if (sync) {
        const outcome = sync.row({
          key,
          index,
          line: record.line,
          cells: map.passThrough.map((i) => record.cells[i] ?? ""),
          specJson: spec ? JSON.stringify(spec) : null,
          videoName: videoBaseName({
            ...(id !== undefined ? { id } : {}),
            rowIndex: index,
            prompt: spec?.prompt ?? "",
          }),
          error,
          estimatedCostUsd: estimate,
        });
        if (outcome.editedAfterFailure)
          log.info(
            `line ${record.line}: row "${truncate(id ?? key, 60)}" was edited since it failed: it is submitted again with the new request`,
          );
        if (outcome.editedAfterSubmit) {
          log.warn(
            `line ${record.line}: row "${truncate(id ?? key, 60)}" changed since it was submitted; its earlier task is kept. Give it a new id to generate it again`,
          );
        }
        status = outcome.status;
      } else {
        const existing = lookup?.(key);
        status = !spec ? "invalid" : existing && existing !== "invalid" ? existing : "pending";
      }
      plan.byStatus[status] = (plan.byStatus[status] ?? 0) + 1;
      if (status === "pending" && spec && price) {
        if (estimate !== null) plan.toSubmitUsd += estimate;
        else plan.unknownPriceRows++;
        priceLines.add(spec, price);
      }
    }
    plan.priceLines = priceLines.list();
    if (plan.rows === 0) {
      throw new UserError("INPUT_EMPTY", `The input CSV ${options.csvPath} has a header but no rows.`);
    }
    sync?.commit(plan.inputMapping);
  } catch (error) {
    sync?.rollback();
    throw error;
  }
  if (problemLines > MAX_PROBLEM_LINES)
    log.warn(
      `… and ${problemLines - MAX_PROBLEM_LINES} more invalid rows (all listed in the results CSV's error column)`,
    );
  if (rewrites.size > 0) {
    const [from, to] = rewrites.entries().next().value as [string, string];
    log.info(
      `${rewrites.size} share link(s) point at a web page, not the file: each is sent as its direct-download form (e.g. ${truncate(from, 80)} → ${truncate(to, 80)})`,
    );
  }
  for (const [column, count] of unsupported.counts) {
    log.warn(
      `the ${column} column is filled in ${count} row(s), but ${provider.name} does not support it; it is not sent`,
    );
  }
  return plan;
}

/**
 * Opens the input and reads its header: the columns of known fields (with the column maps), and for
 * a provider with named inputs (Wireflow) which column fills which. The rows are left to be read.
 */
async function openPlannedInput(options: PlanOptions) {
  const { log, provider } = options;
  const { records, sheets } = await openInput(options.csvPath, options.sheet);
  const first = await records.next();
  if (first.done) throw new UserError("INPUT_EMPTY", `The input CSV ${options.csvPath} is empty.`);
  const map = mapHeaders(first.value.cells);
  // Wireflow binds its own inputs from the map; for the others it names the columns of known fields.
  if (!provider.inputs && options.map?.length) applyColumnMap(map, options.map);
  if (map.index.prompt === undefined) {
    throw new UserError(
      "INPUT_NO_PROMPT",
      sheets
        ? `The first sheet of the workbook ${options.csvPath}, "${sheets.read}", has no prompt column (its columns: ${quoteHeaders(map.headers)}). The workbook's sheets: ${sheets.all.map((s) => `"${s}"`).join(", ")}: name the batch's with ${setting("sheet")} (e.g. ${setting("sheet")} "${sheets.all[1]}"), or point at the prompt column: ${setting("map")} prompt=<column>.`
        : `The input CSV ${options.csvPath} has no prompt column (its columns: ${quoteHeaders(map.headers)}). Name the column that holds the prompts "prompt", or point at it: ${setting("map")} prompt=<column>${map.headers[0] ? ` (e.g. ${setting("map")} prompt="${truncate(map.headers[0], 40)}")` : ""}.`,
    );
  }
  for (const dup of map.duplicates) log.warn(`the column "${dup}" appears twice; the first one is used`);
  warnResultNames(map.headers, log);
  const bindings: InputBinding[] = provider.inputs
    ? bindInputs(provider.inputs.list, map.headers, options.map ?? [], provider.inputs.owner)
    : [];
  const inputColumns = [...new Set(bindings.map((b) => b.column))].map((h) => map.headers.indexOf(h));
  return { records, map, bindings, inputColumns };
}

/** The first few headers, each cut short: enough to recognise the file, never megabytes of it. */
function quoteHeaders(headers: readonly string[], max = 12): string {
  const shown = headers.slice(0, max).map((h) => `"${truncate(h, 40)}"`);
  return headers.length > max ? `${shown.join(", ")} and ${headers.length - max} more` : shown.join(", ");
}

function headerOf(map: HeaderMap, column: "id"): string {
  const i = map.index[column];
  return i === undefined ? column : (map.headers[i] ?? column);
}

/**
 * Input columns named like the results' own (`status`, `video_path`, …) are not copied to the
 * results CSV, which writes its values there. Said, unless the input is a results CSV itself.
 */
function warnResultNames(headers: readonly string[], log: { warn(message: string): void }): void {
  const names = headers.filter((h) => (RESULT_COLUMNS as readonly string[]).includes(normalizeHeader(h)));
  const aResultsCsv = ["status", "task_id", "video_path"].every((c) =>
    headers.some((h) => normalizeHeader(h) === c),
  );
  if (names.length === 0 || aResultsCsv) return;
  log.warn(
    `the input's column(s) ${names.map((n) => `"${n}"`).join(", ")} have the names of vidbatch's result columns: the results CSV holds vidbatch's values there, not the input's (rename them to keep them)`,
  );
}
