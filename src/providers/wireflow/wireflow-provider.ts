import type { JobSpec, SpecField, SpecProblem } from "../../job/job-spec.js";
import { inputField } from "../../job/job-spec.js";
import { isOptional } from "../../job/provider-input.js";
import { UserError } from "../../util/errors.js";
import type { PriceEstimate } from "../price.js";
import type {
  Balance,
  Provider,
  ProviderInputs,
  ProviderLimits,
  TaskRef,
  TaskSnapshot,
} from "../provider.js";
import { type ApiCall, createApiCall } from "../provider-call.js";
import { isProviderError } from "../provider-error.js";
import { RateLimitGate } from "../rate-limit-gate.js";
import { convertCell } from "./wireflow-inputs.js";
import {
  readExecution,
  readExecutionId,
  readWireflowResponse,
  readWorkflowDescription,
  readWorkflowEstimate,
  type WireflowCall,
  type WorkflowDescription,
  type WorkflowEstimate,
} from "./wireflow-response.js";

export const WIREFLOW_DEFAULT_BASE_URL = "https://www.wireflow.ai/api/v1";
/**
 * 10 executions per minute on every plan; requests per minute differ by plan (10–200), so the
 * status pace is Pro's 60/min and the server's X-RateLimit-* headers slow it further when needed.
 */
export const WIREFLOW_LIMITS: ProviderLimits = {
  creates: { max: 10, windowMs: 60_000 },
  statuses: { max: 1, windowMs: 1_000 },
};

/** Everything a workflow decides for itself: a filled column for one of these is not sent. */
const WORKFLOW_DECIDES: readonly SpecField[] = [
  "imageUrl",
  "endImageUrl",
  "duration",
  "aspectRatio",
  "sound",
  "negativePrompt",
  "mode",
  "model",
];

export interface WireflowOptions {
  apiKey: string;
  workflowId: string;
  baseUrl?: string;
  limits?: ProviderLimits;
  signal?: AbortSignal;
}

/** Wireflow's API for one key: every call first waits for the key's request budget. */
function createWireflowCall(apiKey: string, baseUrl: string): ApiCall<WireflowCall, Record<string, unknown>> {
  const gate = new RateLimitGate();
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
  const call = createWireflowCall(options.apiKey, options.baseUrl ?? WIREFLOW_DEFAULT_BASE_URL);
  const id = encodeURIComponent(options.workflowId);
  try {
    const workflow = readWorkflowDescription(
      await call("describe", "GET", `/workflows/${id}/run`, undefined, options.signal),
      options.workflowId,
    );
    const estimate = readWorkflowEstimate(
      await call("estimate", "POST", `/workflows/${id}/estimate`, {}, options.signal),
    );
    return new WireflowProvider(
      call,
      [options.apiKey],
      workflow,
      estimate,
      options.limits ?? WIREFLOW_LIMITS,
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
        `Wireflow has no workflow "${options.workflowId}" for this key (${error.message}). Check --workflow.`,
      );
    throw new UserError(
      "PROVIDER_UNAVAILABLE",
      `cannot read workflow ${options.workflowId} from Wireflow: ${error.message}. Nothing was submitted; try again.`,
    );
  }
}

/**
 * Wireflow (docs/provider-contracts.md, Wireflow): each job runs one workflow with its inputs
 * filled from the job's named inputs. The workflow decides the model and settings.
 */
export class WireflowProvider implements Provider {
  readonly name = "wireflow";
  readonly unsupportedFields = WORKFLOW_DECIDES;
  readonly secrets: readonly string[];
  readonly inputs: ProviderInputs;
  private readonly price: PriceEstimate;

  constructor(
    private readonly call: ApiCall<WireflowCall, Record<string, unknown>>,
    secrets: readonly string[],
    private readonly workflow: WorkflowDescription,
    private readonly estimate: WorkflowEstimate,
    readonly limits: ProviderLimits,
  ) {
    this.secrets = secrets;
    this.inputs = { owner: workflow.workflowId, list: workflow.inputs };
    const day = new Date().toISOString().slice(0, 10);
    this.price = {
      usd: estimate.providerCostUsd ?? 0,
      credits: estimate.credits,
      source: `wireflow /estimate for workflow ${workflow.workflowId} (${day}): ${estimate.credits} credits, provider cost $${estimate.providerCostUsd ?? "unknown"}`,
    };
  }

  /** A one-line account of the workflow and what each run costs, for the log. */
  describe(): string {
    const e = this.estimate;
    const price = `${e.credits} credits per run${e.providerCostUsd !== undefined ? ` (~$${e.providerCostUsd})` : ""}`;
    return `workflow "${this.workflow.name}" (${this.workflow.workflowId}): ${price}`;
  }

  checkSpec(spec: JobSpec): SpecProblem[] {
    const problems: SpecProblem[] = [];
    for (const input of this.workflow.inputs) {
      const value = spec.inputs?.[input.id];
      if (value === undefined) {
        if (!isOptional(input))
          problems.push({
            field: inputField(input.id),
            message: `the workflow input "${input.label}" is required; fill this cell`,
          });
        continue;
      }
      const converted = convertCell(input, value);
      if ("problem" in converted) problems.push({ field: inputField(input.id), message: converted.problem });
    }
    return problems;
  }

  estimateCost(): PriceEstimate {
    return this.price;
  }

  buildRequest(spec: JobSpec): unknown {
    const inputs: Record<string, unknown> = {};
    for (const input of this.workflow.inputs) {
      const value = spec.inputs?.[input.id];
      if (value === undefined) continue; // the workflow's default applies
      const converted = convertCell(input, value);
      if ("value" in converted) inputs[input.id] = converted.value;
    }
    return { inputs };
  }

  async createTask(request: unknown, signal?: AbortSignal): Promise<{ taskId: string }> {
    const id = encodeURIComponent(this.workflow.workflowId);
    return {
      taskId: readExecutionId(await this.call("create", "POST", `/workflows/${id}/run`, request, signal)),
    };
  }

  async getTask({ taskId }: TaskRef, signal?: AbortSignal): Promise<TaskSnapshot> {
    const path = `/workflows/executions/${encodeURIComponent(taskId)}/poll`;
    const snapshot = readExecution(await this.call("status", "GET", path, undefined, signal));
    return snapshot;
  }

  /** Re-reads the execution: its output URL is the only place a fresh link can come from. */
  async refreshVideoUrl(task: TaskRef, oldUrl: string, signal?: AbortSignal): Promise<string | undefined> {
    const snapshot = await this.getTask(task, signal);
    return snapshot.videoUrl && snapshot.videoUrl !== oldUrl ? snapshot.videoUrl : undefined;
  }

  /**
   * The balance /estimate reported (`availableCredits`) when the adapter was built, moments ago;
   * Wireflow documents no other balance call, and a key's requests per minute are too scarce to ask twice.
   */
  async getBalance(): Promise<Balance> {
    const e = this.estimate;
    if (e.availableCredits === undefined) return { text: "unknown" };
    const runs = e.credits > 0 ? Math.floor(e.availableCredits / e.credits) : undefined;
    return {
      credits: e.availableCredits,
      text: `${e.availableCredits.toLocaleString("en-US")} credits${runs !== undefined ? ` (enough for ${runs.toLocaleString("en-US")} runs of this workflow)` : ""}`,
    };
  }
}
