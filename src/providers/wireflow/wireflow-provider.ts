import type { JobSpec, SpecField, SpecProblem } from "../../job/job-spec.js";
import { inputField } from "../../job/job-spec.js";
import { isOptional } from "../../job/provider-input.js";
import { setting } from "../../util/setting-name.js";
import { sleep } from "../../util/sleep.js";
import type { PriceEstimate } from "../price.js";
import type {
  Balance,
  CreateContext,
  FrameSupport,
  Provider,
  ProviderInputs,
  ProviderLimits,
  TaskLookup,
  TaskRef,
  TaskSnapshot,
} from "../provider.js";
import type { ApiCall } from "../provider-call.js";
import { isProviderError, ProviderError } from "../provider-error.js";
import { readExecution, readExecutionCredits } from "./wireflow-execution.js";
import { convertCell } from "./wireflow-inputs.js";
import {
  readExecutionId,
  type WireflowCall,
  type WorkflowDescription,
  type WorkflowEstimate,
} from "./wireflow-response.js";
import { uploadWireflowFrame, WIREFLOW_FRAME_RULES } from "./wireflow-upload.js";

export const WIREFLOW_DEFAULT_BASE_URL = "https://www.wireflow.ai/api/v1";
/** "Identical keys within 24 hours replay the original response without running the workflow again." */
const IDEMPOTENCY_WINDOW_MS = 24 * 3_600_000;
/** Pauses before each replay of a run whose answer was lost. */
export const REPLAY_DELAYS_MS = [500, 2_000, 5_000];

/** Everything a workflow decides for itself: a filled column for one of these is not sent. */
const WORKFLOW_DECIDES: readonly SpecField[] = [
  "imageUrl",
  "endImageUrl",
  "duration",
  "aspectRatio",
  "sound",
  "negativePrompt",
  "mode",
  "resolution",
  "model",
  "cfgScale",
  "cameraControl",
];

/**
 * Wireflow (docs/provider-contracts.md, Wireflow): each job runs one workflow with its inputs
 * filled from the job's named inputs. The workflow decides the model and settings.
 */
export class WireflowProvider implements Provider {
  readonly name = "wireflow";
  readonly unsupportedFields = WORKFLOW_DECIDES;
  readonly secrets: string[];
  readonly inputs: ProviderInputs;
  readonly frames: FrameSupport;
  private readonly price: PriceEstimate;

  constructor(
    private readonly call: ApiCall<WireflowCall, Record<string, unknown>>,
    secrets: readonly string[],
    private readonly workflow: WorkflowDescription,
    private readonly estimate: WorkflowEstimate,
    readonly limits: ProviderLimits,
    private readonly replayDelaysMs: readonly number[],
    /** The API's origin, for the download proxy (`<origin>/api/download?url=`). */
    private readonly origin: string,
    /** What the key's plan allows and where that came from, for the log. */
    readonly limitsNote: string,
    /** Where media is uploaded (the API itself unless an upload base URL was given). */
    uploadCall: ApiCall<WireflowCall, Record<string, unknown>> = call,
    uploadHost = new URL(origin).host,
  ) {
    this.secrets = [...secrets];
    this.inputs = { owner: workflow.workflowId, list: workflow.inputs };
    this.frames = {
      rules: () => WIREFLOW_FRAME_RULES,
      upload: (file, signal) => uploadWireflowFrame(uploadCall, file, signal),
      uploadHost,
    };
    const day = new Date().toISOString().slice(0, 10);
    // What the user pays is Wireflow credits, whose USD price Wireflow does not document; the
    // estimate's `estimatedProviderCostUsd` is the upstream model's cost, not the user's. So the
    // USD price is unknown (never $0, never the upstream figure) and the budget is --max-credits.
    this.price = {
      credits: estimate.credits,
      source: `unknown: Wireflow documents no USD price for its credits; /estimate for workflow ${workflow.workflowId} (${day}) says ${estimate.credits} credits a run${estimate.providerCostUsd !== undefined ? ` (upstream provider cost $${estimate.providerCostUsd}, not what Wireflow charges)` : ""}`,
    };
  }

  /** A one-line account of the workflow and what each run costs, for the log. */
  describe(): string {
    const e = this.estimate;
    const price = `${e.credits} credits per run${e.providerCostUsd !== undefined ? ` (upstream provider cost ~$${e.providerCostUsd}; Wireflow's own price of a credit is not documented: budget with ${setting("maxCredits")})` : ""}`;
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

  /**
   * Runs the workflow with the ledger's external id as `Idempotency-Key`. Wireflow replays the
   * original answer for a key it has seen in the last 24 hours without running the workflow again,
   * so a run whose answer was lost is sent again with the same key, a few times, until the original
   * answer comes back; only then is it given up as unknown (docs/provider-contracts.md, Wireflow run).
   */
  async createTask(request: unknown, { externalId, signal }: CreateContext): Promise<{ taskId: string }> {
    let lost: ProviderError | undefined;
    for (const delay of [0, ...this.replayDelaysMs]) {
      if (delay > 0) await sleep(delay);
      try {
        return { taskId: await this.run(request, externalId, signal) };
      } catch (error) {
        if (!isProviderError(error)) throw error;
        // Once an answer was lost the run may exist (and be paid): no later answer to a replay may
        // turn that into "refused", which would let the row be submitted again. Only the original
        // answer, replayed, settles it; anything else tries again, then leaves it unknown.
        if (lost) continue;
        if (error.kind !== "unknown_outcome") throw error;
        lost = error;
      }
    }
    throw new ProviderError(
      `${lost?.message ?? "Wireflow: the run's answer was lost"}; replaying it with its Idempotency-Key did not bring the answer back, so it is left unknown and replayed again on the next run`,
      { kind: "unknown_outcome", code: lost?.code ?? "WIREFLOW_LOST" },
    );
  }

  private async run(request: unknown, key: string, signal?: AbortSignal): Promise<string> {
    const id = encodeURIComponent(this.workflow.workflowId);
    const data = await this.call("create", "POST", `/workflows/${id}/run`, request, signal, {
      "idempotency-key": key,
    });
    return readExecutionId(data);
  }

  /**
   * A run whose outcome is unknown (answer lost, or the process died while it was on the wire) is
   * settled by replaying it with its key: the original execution if the run arrived, else the one
   * and only run now. Only inside Wireflow's 24-hour replay window; after it, a replay could run
   * the workflow a second time, so the row stays unknown for the user to decide.
   */
  async findTaskByExternalId(
    lookup: TaskLookup,
    signal?: AbortSignal,
  ): Promise<{ taskId: string } | undefined> {
    if (!lookup.keySent)
      throw new ProviderError(
        "this run was sent by an earlier vidbatch without an Idempotency-Key; replaying it could run the workflow twice",
        { kind: "unknown_outcome", code: "WIREFLOW_NO_KEY" },
      );
    const age = Date.now() - Date.parse(lookup.createdAt);
    if (!(age < IDEMPOTENCY_WINDOW_MS - 3_600_000))
      throw new ProviderError(
        "Wireflow's 24-hour replay window for this run has passed; it cannot be checked without risking a second run",
        { kind: "unknown_outcome", code: "WIREFLOW_REPLAY_EXPIRED" },
      );
    return { taskId: await this.run(lookup.request, lookup.externalId, signal) };
  }

  async getTask({ taskId }: TaskRef, signal?: AbortSignal): Promise<TaskSnapshot> {
    const id = encodeURIComponent(taskId);
    const snapshot = readExecution(
      await this.call("status", "GET", `/workflows/executions/${id}/poll`, undefined, signal),
    );
    if (snapshot.state === "succeeded" || snapshot.state === "failed")
      await this.readCharge(id, snapshot, signal);
    return snapshot;
  }

  /**
   * A finished execution's actual credit usage, from its details (`GET /workflows/executions/{id}`),
   * recorded as the charge; priced at the estimate's own USD per credit. When the details cannot be
   * had or hold no credits, the estimate stands (a failed lookup never fails the row).
   */
  private async readCharge(id: string, snapshot: TaskSnapshot, signal?: AbortSignal): Promise<void> {
    let credits: number | undefined;
    try {
      credits = readExecutionCredits(
        await this.call("status", "GET", `/workflows/executions/${id}`, undefined, signal),
      );
    } catch (error) {
      if (!isProviderError(error)) throw error;
    }
    // A run that COMPLETED ran (and was paid) even when it gave no video: without its own figure it
    // is charged at the estimate, never counted as free (a failed row otherwise costs nothing).
    if (credits === undefined && snapshot.errorCode === "WIREFLOW_NO_OUTPUT") credits = this.estimate.credits;
    if (credits === undefined) return;
    // Charged in credits only: their USD price is not documented (see the constructor).
    snapshot.chargedCredits = credits;
  }

  /**
   * Wireflow's CDN answers 403 to script user agents (an edge WAF rule); the vendor's own script
   * downloads through the app's proxy instead, which fetches server-side and takes no key.
   */
  downloadProxyUrl(url: string): string {
    return `${this.origin}/api/download?url=${encodeURIComponent(url)}`;
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
