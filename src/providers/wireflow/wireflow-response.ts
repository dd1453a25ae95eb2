import type { ProviderInput } from "../../job/provider-input.js";
import type { HttpResponse } from "../http-client.js";
import { rejectLostCreate } from "../provider-call.js";
import { type FailureKind, ProviderError } from "../provider-error.js";
import { asNumber, asRecord, cleanProviderText } from "../read-json.js";
import { parseRetryAfter } from "../retry-delay.js";

export type WireflowCall = "describe" | "estimate" | "create" | "status" | "upload";

/** Wireflow answers with or without a `data` wrapper (UNCONFIRMED which): unwrap when present. */
export function unwrap(body: unknown): Record<string, unknown> | undefined {
  const record = asRecord(body);
  const data = asRecord(record?.data);
  return data ?? record;
}

/** The error text from `{"error":"..."}` or the Stripe-style `{"error":{type,message,code}}`. */
function readError(body: Record<string, unknown> | undefined): {
  message: string;
  type?: string;
  code?: string;
} {
  const error = body?.error;
  if (typeof error === "string") return { message: cleanProviderText(error) };
  const record = asRecord(error);
  if (record) {
    return {
      message: cleanProviderText(record.message),
      ...(typeof record.type === "string" ? { type: record.type } : {}),
      ...(typeof record.code === "string" ? { code: record.code } : {}),
    };
  }
  return { message: cleanProviderText(body?.message) };
}

function classify(status: number, type: string | undefined, call: WireflowCall): FailureKind {
  if (type === "authentication_error" || status === 401 || status === 403) return "auth";
  if (type === "insufficient_credits_error" || status === 402) return "credits";
  if (status === 429) return "rate_limited";
  if (status === 404) return call === "status" ? "not_found" : "rejected";
  if (status === 409) return "transient"; // stale_write: the graph changed under us; try again
  if (status >= 500 || type === "api_error") return "transient";
  return "rejected";
}

/**
 * When to try again after a 429: `Retry-After` (relative seconds) when sent, else
 * `X-RateLimit-Reset` (absolute Unix seconds), else the body's `retryAfter` (absolute too).
 */
export function retryAfterOf(response: HttpResponse, now = Date.now()): number | undefined {
  const header = parseRetryAfter(response.headers["retry-after"], now);
  if (header !== undefined) return header;
  const resetHeader = response.headers["x-ratelimit-reset"];
  const reset = asNumber(Array.isArray(resetHeader) ? resetHeader[0] : resetHeader);
  const bodyReset = asNumber(asRecord(response.body)?.retryAfter);
  for (const at of [reset, bodyReset]) {
    if (at === undefined) continue;
    // Absolute epoch seconds per the docs; a small number is read as relative seconds.
    const ms = at > 1e9 ? at * 1000 - now : at * 1000;
    return Math.min(3_600_000, Math.max(0, Math.round(ms)));
  }
  return undefined;
}

/** When the limit resets (absolute ms), from `X-RateLimit-Reset` or the body's `retryAfter`; uncapped. */
function resetAtOf(response: HttpResponse): number | undefined {
  const header = response.headers["x-ratelimit-reset"];
  for (const at of [
    asNumber(Array.isArray(header) ? header[0] : header),
    asNumber(asRecord(response.body)?.retryAfter),
  ])
    if (at !== undefined && at > 1e9) return at * 1000;
  return undefined;
}

/** Success is any 2xx; every error is classified from the status and the documented envelopes. */
export function readWireflowResponse(response: HttpResponse, call: WireflowCall): Record<string, unknown> {
  if (response.status >= 200 && response.status < 300) {
    const body = unwrap(response.body);
    if (body) return body;
    throw new ProviderError(`Wireflow answered HTTP ${response.status} without a readable body`, {
      kind: call === "create" ? "unknown_outcome" : "transient",
      code: "WIREFLOW_BAD_BODY",
      status: response.status,
    });
  }
  const body = asRecord(response.body);
  // A gateway error with no Wireflow answer on a run: the execution may have started.
  rejectLostCreate(response, {
    isCreate: call === "create",
    enveloped: body !== undefined,
    provider: "Wireflow",
    codePrefix: "WIREFLOW",
  });
  const error = readError(body);
  const kind = classify(response.status, error.type, call);
  let message = error.message || `HTTP ${response.status}`;
  if (kind === "credits") {
    const required = asNumber(body?.requiredCredits);
    const available = asNumber(body?.availableCredits);
    if (required !== undefined && available !== undefined)
      message = `insufficient credits: this run needs ${required}, the account has ${available}`;
    message += " (top up at wireflow.ai, then run the same command again to resume)";
  }
  if (kind === "auth")
    message += ` (check WIREFLOW_API_KEY and its scopes: workflows:read, workflows:execute${call === "upload" ? ", workflows:write (uploads)" : ""})`;
  const retryAfterMs = kind === "rate_limited" ? (retryAfterOf(response) ?? 60_000) : undefined;
  // The daily execution cap (50/200/1,000 by plan) answers 429 like the per-minute limit; its
  // exact text is UNCONFIRMED. "daily" in the message, or a reset over ten minutes away, is
  // read as the day's budget spent: waiting minutes would only collect more 429s.
  const daily =
    kind === "rate_limited" &&
    call === "create" &&
    (/\bdaily\b|\bper day\b|\bday\b/i.test(message) || (retryAfterMs ?? 0) > 10 * 60_000);
  // Every answer carries X-Request-Id: the one thing Wireflow's support asks for.
  const requestId = response.headers["x-request-id"];
  if (typeof requestId === "string" && requestId !== "")
    message += ` (request ${cleanProviderText(requestId, 80)})`;
  if (daily) {
    const resetMs = resetAtOf(response) ?? Date.now() + (retryAfterMs ?? 0);
    const resetAt = new Date(resetMs).toISOString().replace(/\.\d+Z$/, "Z");
    throw new ProviderError(
      `Wireflow's daily execution limit is reached (${message}); it resets at ${resetAt}. Run the same command again after that to resume`,
      { kind: "quota", code: "WIREFLOW_DAILY_LIMIT", status: 429, ...(retryAfterMs ? { retryAfterMs } : {}) },
    );
  }
  throw new ProviderError(`Wireflow error ${response.status}: ${message}`, {
    kind,
    code: `WIREFLOW_${error.code ?? response.status}`,
    status: response.status,
    ...(retryAfterMs !== undefined ? { retryAfterMs } : {}),
  });
}

export interface WorkflowDescription {
  workflowId: string;
  name: string;
  inputs: ProviderInput[];
}

export function readWorkflowDescription(
  data: Record<string, unknown>,
  workflowId: string,
): WorkflowDescription {
  const raw = Array.isArray(data.inputs) ? data.inputs : [];
  const inputs: ProviderInput[] = [];
  for (const item of raw) {
    const r = asRecord(item);
    if (!r || typeof r.nodeId !== "string") continue;
    inputs.push({
      id: r.nodeId,
      label: typeof r.label === "string" && r.label !== "" ? r.label : r.nodeId,
      type: typeof r.type === "string" ? r.type : "text",
      required: r.required === true,
      ...(r.default !== undefined ? { default: r.default } : {}),
      ...(typeof r.description === "string" ? { description: r.description } : {}),
    });
  }
  return {
    workflowId: typeof data.workflowId === "string" ? data.workflowId : workflowId,
    name: typeof data.workflowName === "string" ? data.workflowName : workflowId,
    inputs,
  };
}

export interface WorkflowEstimate {
  credits: number;
  providerCostUsd?: number;
  availableCredits?: number;
  sufficient?: boolean;
  complete: boolean;
  warnings: string[];
}

export function readWorkflowEstimate(data: Record<string, unknown>): WorkflowEstimate {
  const credits = asNumber(data.estimatedCredits);
  if (credits === undefined)
    throw new ProviderError("Wireflow's estimate holds no estimatedCredits", {
      kind: "transient",
      code: "WIREFLOW_BAD_ESTIMATE",
    });
  const usd = asNumber(data.estimatedProviderCostUsd);
  const available = asNumber(data.availableCredits);
  const warnings = Array.isArray(data.warnings)
    ? data.warnings
        .map((w) => cleanProviderText(typeof w === "string" ? w : asRecord(w)?.message))
        .filter(Boolean)
    : [];
  return {
    credits,
    ...(usd !== undefined ? { providerCostUsd: usd } : {}),
    ...(available !== undefined ? { availableCredits: available } : {}),
    ...(typeof data.sufficient === "boolean" ? { sufficient: data.sufficient } : {}),
    complete: data.estimateComplete !== false,
    warnings,
  };
}

export function readExecutionId(data: Record<string, unknown>): string {
  // `/run` answers {executionId}; the documented `/execute` 201 answers {executionRuns: [{id}]}.
  const runs = Array.isArray(data.executionRuns) ? asRecord(data.executionRuns[0]) : undefined;
  const id = data.executionId ?? data.id ?? runs?.id;
  if (typeof id === "string" && id !== "") return id;
  throw new ProviderError("Wireflow accepted the run but its answer holds no executionId", {
    kind: "unknown_outcome",
    code: "WIREFLOW_NO_EXECUTION_ID",
  });
}
