import { UserError } from "../../util/errors.js";
import { setting } from "../../util/setting-name.js";
import type { ProviderLimits } from "../provider.js";
import { type ApiCall, createApiCall } from "../provider-call.js";
import { isProviderError } from "../provider-error.js";
import { RateLimitGate } from "../rate-limit-gate.js";
import { planOfLimit, WIREFLOW_PLANS, type WireflowPlan, wireflowLimits } from "./wireflow-plans.js";
import { REPLAY_DELAYS_MS, WIREFLOW_DEFAULT_BASE_URL, WireflowProvider } from "./wireflow-provider.js";
import {
  readWireflowResponse,
  readWorkflowDescription,
  readWorkflowEstimate,
  type WireflowCall,
} from "./wireflow-response.js";

export interface WireflowOptions {
  apiKey: string;
  workflowId: string;
  baseUrl?: string;
  /** Where media is uploaded, when not the API's own base URL. */
  uploadBaseUrl?: string;
  /** Overrides (--submit-rate, --status-rate) of the limits the plan implies. */
  limits?: Partial<ProviderLimits>;
  /** The key's plan (--plan); otherwise read from the API's X-RateLimit-Limit. */
  plan?: WireflowPlan;
  signal?: AbortSignal;
  /** Pauses before each replay of a run whose answer was lost. */
  replayDelaysMs?: readonly number[];
}

/** Wireflow's API for one key: every call first waits for the key's request budget. */
function createWireflowCall(
  apiKey: string,
  baseUrl: string,
  gate: RateLimitGate,
): ApiCall<WireflowCall, Record<string, unknown>> {
  return createApiCall<WireflowCall, Record<string, unknown>>({
    provider: "Wireflow",
    baseUrl,
    createCall: "create",
    authorization: () => `Bearer ${apiKey}`,
    secrets: () => [apiKey],
    before: (signal) => gate.wait(signal),
    read: (response, call) => {
      gate.observe(response.headers);
      return readWireflowResponse(response, call);
    },
  });
}

/**
 * Builds a ready Wireflow adapter: asks which inputs the workflow has and what a run costs before
 * anything else happens. A rejected key or an unknown workflow is a usage error (nothing was sent).
 */
export async function createWireflowProvider(options: WireflowOptions): Promise<WireflowProvider> {
  const baseUrl = options.baseUrl ?? WIREFLOW_DEFAULT_BASE_URL;
  const gate = new RateLimitGate();
  const call = createWireflowCall(options.apiKey, baseUrl, gate);
  const id = encodeURIComponent(options.workflowId);
  try {
    const workflow = readWorkflowDescription(
      await call("describe", "GET", `/workflows/${id}/run`, undefined, options.signal),
      options.workflowId,
    );
    const estimate = readWorkflowEstimate(
      await call("estimate", "POST", `/workflows/${id}/estimate`, {}, options.signal),
    );
    const plan = planLimits(options.plan, gate.limit);
    return new WireflowProvider(
      call,
      [options.apiKey],
      workflow,
      estimate,
      { ...wireflowLimits(plan.requestsPerMinute), ...options.limits },
      options.replayDelaysMs ?? REPLAY_DELAYS_MS,
      baseUrl.replace(/\/api\/v1\/?$/, ""),
      plan.note,
      options.uploadBaseUrl ? createWireflowCall(options.apiKey, options.uploadBaseUrl, gate) : call,
      new URL(options.uploadBaseUrl ?? baseUrl).host,
    );
  } catch (error) {
    if (!isProviderError(error)) throw error;
    if (error.kind === "auth")
      throw new UserError(
        "CONFIG_KEY_REJECTED",
        `wireflow rejected the API key: ${error.message}. Nothing was submitted.`,
      );
    if (error.status === 404)
      throw new UserError(
        "CONFIG_WORKFLOW",
        `Wireflow has no workflow "${options.workflowId}" for this key (${error.message}). Check ${setting("workflow")}.`,
      );
    throw new UserError(
      "PROVIDER_UNAVAILABLE",
      `cannot read workflow ${options.workflowId} from Wireflow: ${error.message}. Nothing was submitted; try again.`,
    );
  }
}

/**
 * Requests a minute for this key: --plan when given, else the X-RateLimit-Limit the API reported on
 * the first calls, else Pro's 60 (the gate still follows X-RateLimit-Remaining either way).
 */
function planLimits(plan: WireflowPlan | undefined, reported: number | undefined) {
  if (plan) {
    const p = WIREFLOW_PLANS[plan];
    return {
      requestsPerMinute: p.requestsPerMinute,
      note: `${plan} plan (${setting("plan")}): ${p.requestsPerMinute} requests a minute, ${p.dailyExecutions ?? "unlimited"} executions a day`,
    };
  }
  if (reported !== undefined) {
    const named = planOfLimit(reported);
    return {
      requestsPerMinute: reported,
      note: `${reported} requests a minute reported by Wireflow${named ? ` (${named} plan: ${WIREFLOW_PLANS[named].dailyExecutions ?? "unlimited"} executions a day)` : ""}`,
    };
  }
  return {
    requestsPerMinute: 60,
    note: "no rate limit reported; pacing for 60 requests a minute (give --plan to change)",
  };
}
