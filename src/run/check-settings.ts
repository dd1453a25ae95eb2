import { isIP } from "node:net";
import { ASPECT_RATIOS, DURATIONS, MODES } from "../job/job-spec.js";
import { PROVIDERS } from "../providers/provider-names.js";
import { WIREFLOW_PLAN_NAMES } from "../providers/wireflow/wireflow-plans.js";
import { UserError } from "../util/errors.js";
import { isLoopbackHost } from "../util/loopback.js";
import { setting } from "../util/setting-name.js";
import { DEFAULT_SETTINGS, type RunSettings } from "./settings.js";

/** Every setting's name: those with a default, and those that have none. */
const KNOWN = new Set([
  ...Object.keys(DEFAULT_SETTINGS),
  "input",
  "sheet",
  "mode",
  "workflow",
  "plan",
  "baseUrl",
  "uploadBaseUrl",
  "submitRate",
  "statusRate",
  "maxCostUsd",
  "haltOnFailures",
  "maxCredits",
  "select",
  "callbacks",
  "lockStaleAfterMs",
  "timings",
]);

function refuse(name: string, what: string, value: unknown): never {
  const shown =
    typeof value === "string"
      ? `"${value.slice(0, 40)}"`
      : typeof value === "number"
        ? String(value)
        : String(JSON.stringify(value)).slice(0, 60);
  throw new UserError("USAGE", `${setting(name)} must be ${what} (it is ${shown}). Nothing was submitted.`);
}

function number(name: string, value: unknown, { integer = false, min = 0, orEqual = false } = {}): void {
  const ok =
    typeof value === "number" &&
    Number.isFinite(value) &&
    (orEqual ? value >= min : value > min) &&
    (!integer || Number.isInteger(value));
  if (!ok)
    refuse(
      name,
      `${integer ? "a whole number" : "a number"} ${orEqual ? "of at least" : "greater than"} ${min}`,
      value,
    );
}

function optionalNumber(name: string, value: unknown, rule: Parameters<typeof number>[2] = {}): void {
  if (value !== undefined) number(name, value, rule);
}

function oneOf(name: string, value: unknown, allowed: readonly (string | number)[]): void {
  if (!allowed.includes(value as string | number)) refuse(name, `one of ${allowed.join(", ")}`, value);
}

function text(name: string, value: unknown): void {
  if (typeof value !== "string" || value.trim() === "") refuse(name, "a non-empty text", value);
}

/** Where providers call back: an http(s) address with no query or fragment (a secret path is added). */
function publicUrl(value: unknown): void {
  let url: URL | undefined;
  try {
    url = typeof value === "string" ? new URL(value) : undefined;
  } catch {
    url = undefined;
  }
  if (!url || !/^https?:$/.test(url.protocol) || url.search || url.hash || url.username || url.password)
    refuse(
      "callbacks.publicUrl",
      "an http(s) URL with no query, e.g. https://abc.trycloudflare.com/vidbatch",
      value,
    );
}

function rate(name: string, value: RunSettings["submitRate"]): void {
  if (value === undefined) return;
  number(`${name}.max`, value.max, { integer: true });
  number(`${name}.windowMs`, value.windowMs);
}

/**
 * What the CLI checks of its flags, checked again of the settings a program gives: a run never
 * starts with a concurrency of 0 (it would wait forever), a poll interval of 0 (it would hammer the
 * provider), a negative budget or a selection that names no row by mistake.
 */
export function checkSettings(s: RunSettings): void {
  if (typeof s !== "object" || s === null) refuse("settings", "an object with at least an input", s);
  // A misspelt setting would be silently left at its default (a budget that is not there).
  const unknown = Object.keys(s).filter((k) => !KNOWN.has(k));
  if (unknown.length > 0)
    throw new UserError(
      "USAGE",
      `${unknown.map((k) => setting(k)).join(", ")}: not a setting vidbatch knows (its settings: ${[...KNOWN].join(", ")}). Nothing was submitted.`,
    );
  text("input", s.input);
  oneOf("provider", s.provider, PROVIDERS);
  text("model", s.model);
  oneOf("duration", s.duration, DURATIONS);
  oneOf("aspectRatio", s.aspectRatio, ASPECT_RATIOS);
  if (typeof s.sound !== "boolean") refuse("sound", "true or false", s.sound);
  if (s.mode !== undefined) oneOf("mode", s.mode, MODES);
  if (s.plan !== undefined) oneOf("plan", s.plan, WIREFLOW_PLAN_NAMES);
  if (s.workflow !== undefined) text("workflow", s.workflow);
  if (s.baseUrl !== undefined) text("baseUrl", s.baseUrl);
  if (s.uploadBaseUrl !== undefined) text("uploadBaseUrl", s.uploadBaseUrl);
  if (s.sheet !== undefined) text("sheet", s.sheet);
  if (!Array.isArray(s.map) || s.map.some((m) => typeof m !== "string"))
    refuse("map", "a list of texts", s.map);
  number("concurrency", s.concurrency, { integer: true });
  number("pollIntervalMs", s.pollIntervalMs);
  number("taskTimeoutMs", s.taskTimeoutMs);
  number("maxVideoBytes", s.maxVideoBytes, { integer: true });
  number("downloadStallMs", s.downloadStallMs);
  number("downloadConcurrency", s.downloadConcurrency, { integer: true });
  number("maxAttempts", s.maxAttempts, { integer: true });
  optionalNumber("maxCostUsd", s.maxCostUsd, { orEqual: true });
  if (s.haltOnFailures !== undefined) {
    const h = s.haltOnFailures as { share?: unknown; minFinished?: unknown };
    if (typeof h.share !== "number" || !(h.share > 0 && h.share <= 1))
      refuse("haltOnFailures", "{ share: a number above 0 and at most 1, minFinished }", s.haltOnFailures);
    number("haltOnFailures.minFinished", h.minFinished, { integer: true });
  }
  optionalNumber("maxCredits", s.maxCredits, { orEqual: true });
  optionalNumber("lockStaleAfterMs", s.lockStaleAfterMs);
  rate("submitRate", s.submitRate);
  rate("statusRate", s.statusRate);
  if (s.select) {
    optionalNumber("select.limit", s.select.limit, { integer: true });
    if (s.select.lines !== undefined && s.select.lines.length === 0)
      refuse("select.lines", "at least one range of input lines (leave it out to select every line)", []);
    for (const range of s.select.lines ?? []) {
      const [from, to] = range;
      if (!Number.isInteger(from) || !Number.isInteger(to) || from < 2 || to < from)
        refuse("select.lines", "ranges [from, to] of input lines, from 2 (line 1 is the header) up", range);
    }
  }
  if (s.callbacks) {
    number("callbacks.port", s.callbacks.port, { integer: true, orEqual: true });
    if (s.callbacks.port > 65535) refuse("callbacks.port", "a port from 0 to 65535", s.callbacks.port);
    const host = s.callbacks.host;
    // Written out: shorthands the system widens to every interface ("0") or names that resolve anywhere are refused.
    if (typeof host !== "string" || (host !== "localhost" && isIP(host) === 0))
      refuse("callbacks.host", "an IP address written out (127.0.0.1, 0.0.0.0, ::1) or localhost", host);
    if (!isLoopbackHost(host) && !s.callbacks.publicUrl)
      refuse(
        "callbacks.publicUrl",
        `set when the listener is reachable from other machines (${host}): the address at which providers reach it`,
        s.callbacks.publicUrl,
      );
    number("callbacks.safetyPollMs", s.callbacks.safetyPollMs);
    if (s.callbacks.publicUrl !== undefined) publicUrl(s.callbacks.publicUrl);
  }
  for (const [name, value] of Object.entries(s.timings ?? {})) {
    if (name === "lostAnswerDelaysMs") {
      if (!Array.isArray(value) || value.some((v) => !(Number.isFinite(v) && v >= 0)))
        refuse(`timings.${name}`, "a list of waits in milliseconds", value);
    } else number(`timings.${name}`, value);
  }
}
