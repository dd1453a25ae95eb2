import type { HttpResponse } from "../http-client.js";
import type { TaskSnapshot } from "../provider.js";
import { rejectLostCreate } from "../provider-call.js";
import { type FailureKind, ProviderError } from "../provider-error.js";
import { asNumber, asRecord, cleanProviderText } from "../read-json.js";
import { parseRetryAfter } from "../retry-delay.js";

export type KieCall = "create" | "status" | "account" | "upload";

/** The documented code table (docs/provider-contracts.md, KIE error codes) mapped to what the engine must do. */
export function classifyKieCode(code: number, call: KieCall): FailureKind {
  if (code === 401 || code === 403) return "auth";
  if (code === 402 || code === 433) return "credits";
  if (code === 429) return "rate_limited";
  if (code === 404) return call === "status" ? "not_found" : "rejected";
  if (code === 501 || code === 505) return "rejected"; // generation failed / feature disabled
  if (code === 455 || code >= 500) return "transient"; // maintenance, server errors
  return "rejected";
}

const HINTS: Partial<Record<FailureKind, string>> = {
  auth: "check KIE_API_KEY (and the key's IP whitelist)",
  credits: "top up credits at kie.ai, then run the same command again to resume",
};

/**
 * Reads KIE's envelope `{code, msg|message, data}`. KIE may report an error as an HTTP error status
 * or as HTTP 200 with a non-200 `code` in the body (both are documented), so a call succeeds only
 * when the HTTP status is 2xx and the body code is 200.
 */
export function readKieEnvelope(response: HttpResponse, call: KieCall): unknown {
  const body = asRecord(response.body);
  const bodyCode = asNumber(body?.code);
  const httpOk = response.status >= 200 && response.status < 300;
  if (httpOk && bodyCode === 200) return body?.data;

  const message = cleanProviderText(body?.msg ?? body?.message);
  let code: number;
  if (!httpOk) code = bodyCode !== undefined && bodyCode !== 200 ? bodyCode : response.status;
  else if (bodyCode !== undefined) code = bodyCode;
  else {
    // A 2xx without a readable envelope. For a create this means we cannot tell whether a task
    // (that we may be billed for) exists.
    const kind: FailureKind = call === "create" ? "unknown_outcome" : "transient";
    throw new ProviderError(`KIE answered HTTP ${response.status} without a readable body`, {
      kind,
      code: "KIE_BAD_BODY",
      status: response.status,
    });
  }
  rejectLostCreate(response, {
    isCreate: call === "create",
    enveloped: bodyCode !== undefined,
    provider: "KIE",
    codePrefix: "KIE",
  });
  if (response.status === 403 && body === undefined) {
    throw new ProviderError(
      "KIE refused the request (HTTP 403, no body): a firewall or IP whitelist blocks this machine",
      {
        kind: "auth",
        code: "KIE_403",
        status: 403,
      },
    );
  }
  // KIE answers {"code":422,"msg":"recordInfo is null"} (at HTTP 200) for a task it does not know
  // (yet): a status that says "not found", not a request to give up on.
  const kind =
    call === "status" && code === 422 && /recordInfo is null/i.test(message)
      ? "not_found"
      : classifyKieCode(code, call);
  const hint = HINTS[kind];
  const retryAfterMs = parseRetryAfter(response.headers["retry-after"]);
  throw new ProviderError(`KIE error ${code}${message ? `: ${message}` : ""}${hint ? ` (${hint})` : ""}`, {
    kind,
    code: `KIE_${code}`,
    status: response.status,
    ...(retryAfterMs !== undefined ? { retryAfterMs } : {}),
  });
}

export function readKieTaskId(data: unknown): string {
  const taskId = asRecord(data)?.taskId;
  if (typeof taskId === "string" && taskId !== "") return taskId;
  if (typeof taskId === "number") return String(taskId);
  // Success code but no id: the task may exist, and we cannot name it.
  throw new ProviderError("KIE accepted the task but its answer holds no taskId", {
    kind: "unknown_outcome",
    code: "KIE_NO_TASK_ID",
  });
}

function readResultUrls(resultJson: unknown): string[] {
  let parsed: unknown = resultJson;
  if (typeof resultJson === "string") {
    if (resultJson.trim() === "") return [];
    try {
      parsed = JSON.parse(resultJson);
    } catch {
      return [];
    }
  }
  const urls = asRecord(parsed)?.resultUrls;
  return Array.isArray(urls) ? urls.filter((u): u is string => typeof u === "string" && u !== "") : [];
}

/**
 * Reads recordInfo's `data`: state waiting|queuing|generating|success|fail (the Runway spellings
 * wait|queueing are accepted too); `resultJson` is a JSON *string*; credits appear as
 * `consumeCredits` or `creditsConsumed` depending on the doc page, so both are read.
 */
export function readKieTask(data: unknown): TaskSnapshot {
  const snapshot = readKieState(asRecord(data));
  const callbackUrl = readCallbackUrl(asRecord(data)?.param);
  if (callbackUrl) snapshot.callbackUrl = callbackUrl;
  return snapshot;
}

/** `param` is the whole create request, as a JSON string (or an object): its `callBackUrl`. */
function readCallbackUrl(param: unknown): string | undefined {
  let parsed: unknown = param;
  if (typeof param === "string") {
    try {
      parsed = JSON.parse(param);
    } catch {
      return undefined;
    }
  }
  const url = asRecord(parsed)?.callBackUrl;
  return typeof url === "string" && url !== "" ? url : undefined;
}

function readKieState(record: Record<string, unknown> | undefined): TaskSnapshot {
  const state = typeof record?.state === "string" ? record.state : "";
  const credits = asNumber(record?.consumeCredits) ?? asNumber(record?.creditsConsumed);
  const charged = credits !== undefined ? { chargedCredits: credits } : {};
  switch (state) {
    case "success": {
      const [videoUrl] = readResultUrls(record?.resultJson);
      if (!videoUrl) {
        throw new ProviderError("KIE reports the task done but gives no result URL yet", {
          kind: "transient",
          code: "KIE_NO_RESULT_URL",
        });
      }
      return { state: "succeeded", providerState: state, videoUrl, ...charged };
    }
    case "fail": {
      const errorCode = cleanProviderText(String(record?.failCode ?? ""), 40);
      const errorMessage = cleanProviderText(record?.failMsg) || "generation failed (no reason given)";
      // KIE's own trouble (failCode 5xx, e.g. "500 Internal server error") with nothing consumed
      // is worth one more try; a 4xx (content policy, bad input) is the row's and stays final. The
      // charge must be stated as 0: an unknown charge never makes a retry "free".
      const retryable = /^5\d\d$/.test(errorCode) && credits === 0;
      return {
        state: "failed",
        providerState: state,
        errorMessage,
        ...(errorCode ? { errorCode } : {}),
        ...charged,
        ...(retryable ? { retryable } : {}),
      };
    }
    case "waiting":
    case "wait":
    case "queuing":
    case "queueing":
      return { state: "queued", providerState: state };
    default:
      return { state: "running", providerState: state || "unknown" };
  }
}

export function readKieBalance(data: unknown): number | undefined {
  return asNumber(data) ?? asNumber(asRecord(data)?.credits);
}

export function readKieDownloadUrl(data: unknown): string | undefined {
  return typeof data === "string" && data !== "" ? data : undefined;
}
