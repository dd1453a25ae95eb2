import type { KnownColumn } from "../input/headers.js";
import { GENERATION_COLUMNS, KNOWN_COLUMNS, normalizeHeader } from "../input/headers.js";
import type { JobSpec } from "../input/job-spec.js";
import { UserError } from "../util/errors.js";
import { redactSecrets } from "../util/redact.js";
import { type HttpResponse, sendRequest } from "./http-client.js";
import { classifyNetworkFailure } from "./network-failure.js";
import type { PriceEstimate } from "./prices.js";
import type { Balance, Provider, TaskRef, TaskSnapshot } from "./provider.js";
import { isProviderError } from "./provider-error.js";
import { RateLimitGate } from "./rate-limit-gate.js";
import { bindInputs, convertCell, type InputBinding, isOptional } from "./wireflow-inputs.js";
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
 * Wireflow (shared/providers.md §3): each row runs one workflow with its inputs filled from CSV
 * columns. The workflow decides the model and settings; its inputs and price come from the API
 * before any row is planned.
 */
export class WireflowProvider implements Provider {
  readonly name = "wireflow";
  // 10 executions per minute on every plan; requests per minute differ by plan (10–200), so the
  // status pace is Pro's 60/min and the server's X-RateLimit-* headers slow it further when needed.
  readonly limits = { creates: { max: 10, windowMs: 60_000 }, statusPerSecond: 1 };
  readonly secrets: readonly string[];
  private readonly baseUrl: string;
  private readonly gate = new RateLimitGate();
  private workflow: WorkflowDescription | undefined;
  private estimate: WorkflowEstimate | undefined;
  private bindings: InputBinding[] = [];
  private priceSource = "";

  constructor(
    private readonly apiKey: string,
    private readonly workflowId: string,
    baseUrl: string = WIREFLOW_DEFAULT_BASE_URL,
    private readonly mapping: readonly string[] = [],
  ) {
    this.secrets = [apiKey];
    this.baseUrl = baseUrl.replace(/\/+$/, "");
  }

  /** Known columns the workflow does not read (its nodes hold those settings): set by bindColumns. */
  ignoredColumns: readonly KnownColumn[] = GENERATION_COLUMNS.filter((c) => c !== "prompt");

  async prepare(signal?: AbortSignal): Promise<void> {
    const id = encodeURIComponent(this.workflowId);
    try {
      this.workflow = readWorkflowDescription(
        await this.call("describe", "GET", `/workflows/${id}/run`, undefined, signal),
        this.workflowId,
      );
      this.estimate = await this.fetchEstimate(signal);
      const e = this.estimate;
      this.priceSource = `wireflow /estimate for workflow ${this.workflowId} (${new Date().toISOString().slice(0, 10)}): ${e.credits} credits, provider cost $${e.providerCostUsd ?? "unknown"}`;
    } catch (error) {
      if (!isProviderError(error)) throw error;
      if (error.kind === "auth")
        throw new UserError(
          `wireflow rejected the API key: ${error.message}. Nothing was submitted.`,
          2,
          "CONFIG_KEY_REJECTED",
        );
      if (error.status === 404)
        throw new UserError(
          `Wireflow has no workflow "${this.workflowId}" for this key (${error.message}). Check --workflow.`,
          2,
          "CONFIG_WORKFLOW",
        );
      throw new UserError(
        `cannot read workflow ${this.workflowId} from Wireflow: ${error.message}. Nothing was submitted; try again.`,
        3,
        "PROVIDER_UNAVAILABLE",
      );
    }
  }

  /** A one-line account of the workflow and what each run costs, for the log. */
  describe(): string {
    const wf = this.workflow;
    if (!wf) return `workflow ${this.workflowId}`;
    const inputs = this.bindings.map((b) => `${b.input.label} ← ${b.column}`).join(", ");
    const e = this.estimate;
    const price = e
      ? `${e.credits} credits per run${e.providerCostUsd !== undefined ? ` (~$${e.providerCostUsd})` : ""}`
      : "price unknown";
    return `workflow "${wf.name}" (${wf.workflowId}): ${price}${inputs ? `; inputs ${inputs}` : ""}`;
  }

  bindColumns(headers: readonly string[]): string[] {
    if (!this.workflow) throw new Error("WireflowProvider.prepare() must run before bindColumns()");
    this.bindings = bindInputs(this.workflow.inputs, headers, this.mapping, this.workflowId);
    const bound = new Set(this.bindings.map((b) => normalizeHeader(b.column)));
    this.ignoredColumns = GENERATION_COLUMNS.filter(
      (c) => c !== "prompt" && !KNOWN_COLUMNS[c].some((alias) => bound.has(alias)),
    );
    return [...new Set(this.bindings.map((b) => b.column))];
  }

  checkSpec(spec: JobSpec): { column: KnownColumn | string; message: string }[] {
    const problems: { column: string; message: string }[] = [];
    for (const { input, column } of this.bindings) {
      const cell = spec.inputs?.[column];
      if (cell === undefined) {
        if (!isOptional(input))
          problems.push({
            column,
            message: `the workflow input "${input.label}" is required; fill this cell`,
          });
        continue;
      }
      const converted = convertCell(input, cell);
      if ("problem" in converted) problems.push({ column, message: converted.problem });
    }
    return problems;
  }

  estimateCost(): PriceEstimate {
    const e = this.estimate;
    if (!e) throw new Error("WireflowProvider.prepare() must run before estimateCost()");
    return {
      usd: e.providerCostUsd ?? 0,
      credits: e.credits,
      source: this.priceSource,
    };
  }

  buildRequest(spec: JobSpec): unknown {
    const inputs: Record<string, unknown> = {};
    for (const { input, column } of this.bindings) {
      const cell = spec.inputs?.[column];
      if (cell === undefined) continue; // the workflow's default applies
      const converted = convertCell(input, cell);
      if ("value" in converted) inputs[input.nodeId] = converted.value;
    }
    return { inputs };
  }

  private async call(
    call: WireflowCall,
    method: "GET" | "POST",
    path: string,
    json?: unknown,
    signal?: AbortSignal,
  ): Promise<Record<string, unknown>> {
    await this.gate.wait(signal);
    let response: HttpResponse;
    try {
      response = await sendRequest({
        method,
        url: `${this.baseUrl}${path}`,
        headers: { authorization: `Bearer ${this.apiKey}` },
        ...(json !== undefined ? { json } : {}),
        timeoutMs: call === "create" ? 60_000 : 30_000,
        ...(signal ? { signal } : {}),
      });
    } catch (error) {
      classifyNetworkFailure(error, call === "create", "Wireflow");
    }
    this.gate.observe(response.headers);
    try {
      return readWireflowResponse(response, call);
    } catch (error) {
      if (error instanceof Error) error.message = redactSecrets(error.message, this.secrets);
      throw error;
    }
  }

  private async fetchEstimate(signal?: AbortSignal): Promise<WorkflowEstimate> {
    const id = encodeURIComponent(this.workflowId);
    return readWorkflowEstimate(await this.call("estimate", "POST", `/workflows/${id}/estimate`, {}, signal));
  }

  async createTask(request: unknown, signal?: AbortSignal): Promise<{ taskId: string }> {
    const id = encodeURIComponent(this.workflowId);
    return {
      taskId: readExecutionId(await this.call("create", "POST", `/workflows/${id}/run`, request, signal)),
    };
  }

  async getTask({ taskId }: TaskRef, signal?: AbortSignal): Promise<TaskSnapshot> {
    const data = await this.call(
      "status",
      "GET",
      `/workflows/executions/${encodeURIComponent(taskId)}/poll`,
      undefined,
      signal,
    );
    const snapshot = readExecution(data);
    if (snapshot.errorMessage) snapshot.errorMessage = redactSecrets(snapshot.errorMessage, this.secrets);
    return snapshot;
  }

  /** Re-reads the execution: its output URL is the only place a fresh link can come from. */
  async refreshVideoUrl(task: TaskRef, oldUrl: string, signal?: AbortSignal): Promise<string | undefined> {
    const snapshot = await this.getTask(task, signal);
    return snapshot.videoUrl && snapshot.videoUrl !== oldUrl ? snapshot.videoUrl : undefined;
  }

  /** The balance /estimate reports (`availableCredits`); Wireflow documents no other balance call. */
  async getBalance(signal?: AbortSignal): Promise<Balance> {
    // prepare() fetched it moments ago; a key's requests per minute are too scarce to ask twice.
    const e = this.estimate ?? (await this.fetchEstimate(signal));
    if (e.availableCredits === undefined) return { text: "unknown" };
    const runs = e.credits > 0 ? Math.floor(e.availableCredits / e.credits) : undefined;
    return {
      credits: e.availableCredits,
      text: `${e.availableCredits.toLocaleString("en-US")} credits${runs !== undefined ? ` (enough for ${runs.toLocaleString("en-US")} runs of this workflow)` : ""}`,
    };
  }
}
