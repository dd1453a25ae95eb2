import { frameReference } from "../../frames/inline-frame.js";
import type { JobSpec, SpecField, SpecProblem } from "../../job/job-spec.js";
import { setting } from "../../util/setting-name.js";
import { sleep } from "../../util/sleep.js";
import { wasNeverSent } from "../http-client.js";
import { type PriceEstimate, roundUsd } from "../price.js";
import type {
  Balance,
  CallbackDelivery,
  CallbackReport,
  CreateContext,
  FrameSupport,
  Provider,
  ProviderLimits,
  TaskLookup,
  TaskRef,
  TaskSnapshot,
} from "../provider.js";
import { type ApiCall, createApiCall } from "../provider-call.js";
import { isProviderError, ProviderError } from "../provider-error.js";
import { readKlingAccountBalance } from "./kling-balance.js";
import { readKlingCallback } from "./kling-callback.js";
import { buildCurrentRequest, isCurrentRequest } from "./kling-current.js";
import {
  createCurrentTask,
  externalIdOf,
  findCurrentTask,
  inlineLegacyFrames,
} from "./kling-current-calls.js";
import { KLING_INLINE_FRAME_RULES } from "./kling-frames.js";
import { KlingTokenSource } from "./kling-jwt.js";
import { findLegacyTask } from "./kling-legacy-lookup.js";
import { findKlingModel, type KlingModel } from "./kling-models.js";
import type { KlingOptions } from "./kling-options.js";
import { estimateKlingCost, KLING_USD_PER_UNIT } from "./kling-prices.js";
import { buildKlingCreateBody, checkKlingSpec, klingKindOf, klingMode } from "./kling-request.js";
import { type KlingCall, readKlingEnvelope, readKlingTask, readKlingTaskId } from "./kling-response.js";
import { checkKlingResolution, describeKlingAuth, usesCurrentStandard } from "./kling-standard.js";
import { createTaskQueries, type TaskQueries } from "./kling-task-queries.js";

export const KLING_DEFAULT_BASE_URL = "https://api-singapore.klingai.com";

/** Waits before asking whether a create whose answer was lost took effect (Kling may lag). */
const LOOKUP_DELAYS_MS = [1_000, 3_000, 8_000];
/** Kling limits concurrency (1303), not request rate ("no QPS limits"); stay polite anyway. */
export const KLING_LIMITS: ProviderLimits = {
  submitRate: { max: 5, windowMs: 1_000 },
  statusRate: { max: 10, windowMs: 1_000 },
};

export type { KlingOptions } from "./kling-options.js";

/**
 * Kling's official API (docs/provider-contracts.md, Kling): with an API key, the current standard
 * (model in the path, one query for many tasks) for the models it covers and the legacy endpoints
 * for the others; with an AccessKey/SecretKey pair, the legacy standard (`model_name` in the body)
 * for every documented model.
 */
export class KlingProvider implements Provider {
  readonly name = "kling";
  readonly limits: ProviderLimits;
  readonly unsupportedFields: readonly SpecField[] = [];
  readonly secrets: string[];
  readonly credentials: readonly string[];
  /** Frames go inline, as Base64 (no upload): held to Kling's limits for the encoded size too. */
  readonly frames: FrameSupport = { rules: () => KLING_INLINE_FRAME_RULES };
  private readonly tokens: { current(): string; invalidate(): void };
  private readonly apiKey: string | undefined;
  private readonly queries: TaskQueries;
  private readonly lookupDelaysMs: readonly number[];
  private readonly call: ApiCall<KlingCall, unknown>;
  private readonly webhookSecret: string | undefined;

  constructor(options: KlingOptions) {
    this.secrets = [
      ...[options.apiKey, options.accessKey, options.secretKey].filter((k): k is string => Boolean(k)),
      ...(options.webhookSecret ? [options.webhookSecret] : []),
    ];
    this.webhookSecret = options.webhookSecret;
    this.apiKey = options.apiKey;
    this.credentials = options.apiKey
      ? [options.apiKey]
      : [options.accessKey, options.secretKey].filter((k): k is string => Boolean(k));
    const apiKey = options.apiKey;
    if (apiKey) this.tokens = { current: () => apiKey, invalidate: () => {} };
    else if (options.accessKey && options.secretKey)
      this.tokens = new KlingTokenSource(options.accessKey, options.secretKey);
    else throw new Error("Kling needs an API key or an AccessKey/SecretKey pair");
    this.limits = options.limits ?? KLING_LIMITS;
    this.lookupDelaysMs = options.lookupDelaysMs ?? LOOKUP_DELAYS_MS;
    this.call = createApiCall<KlingCall, unknown>({
      provider: "Kling",
      baseUrl: options.baseUrl ?? KLING_DEFAULT_BASE_URL,
      createCall: "create",
      authorization: () => `Bearer ${this.tokens.current()}`,
      // The signed token is a bearer credential for 30 minutes: as secret as the keys.
      secrets: () => [...this.secrets, this.tokens.current()],
      read: (response, call) => {
        try {
          return readKlingEnvelope(response, call);
        } catch (error) {
          if (isProviderError(error) && (error.code === "KLING_1002" || error.code === "KLING_1004"))
            this.tokens.invalidate(); // sign a fresh token for the next call
          throw error;
        }
      },
    });
    this.queries = createTaskQueries({
      query: (ids, signal) =>
        this.call(
          "status",
          "GET",
          `/tasks?task_ids=${ids.map(encodeURIComponent).join(",")}`,
          undefined,
          signal,
        ),
    });
  }

  /** Which standard and which auth each kind of model uses, for the plan. */
  describe(): string {
    return describeKlingAuth(this.apiKey !== undefined);
  }

  /** Whether this row goes to the current standard: an API key, a model it covers, no legacy-only field. */
  private current(spec: JobSpec): boolean {
    return usesCurrentStandard(spec, this.apiKey !== undefined);
  }

  /** Current-standard tasks are queried with an API key only: an AK/SK token is refused there. */
  cannotFollow(request: unknown): string | undefined {
    return isCurrentRequest(request) && !this.apiKey
      ? "it was made on Kling's current standard with an API key, whose queries take the API key only: set KLING_API_KEY"
      : undefined;
  }

  /** Polls of current-standard tasks share queries: the engine need not spend a status call on each. */
  statusIsBatched(task: TaskRef): boolean {
    return isCurrentRequest(task.request);
  }

  checkSpec(spec: JobSpec): SpecProblem[] {
    const model = findKlingModel(spec.model);
    if (model?.currentOnly && !this.apiKey)
      return [
        {
          field: "model",
          message: `${model.label} is on Kling's current API only, which takes an API key: set KLING_API_KEY (from today's console), or run it with ${setting("provider")} kie`,
        },
      ];
    const problems = checkKlingSpec(spec);
    problems.push(...checkKlingResolution(spec, this.current(spec)));
    if (model?.currentOnly && spec.negativePrompt)
      problems.push({
        field: "negativePrompt",
        message: `${model.label} (Kling's current standard) takes no negative prompt; clear it`,
      });
    return problems;
  }

  estimateCost(spec: JobSpec): PriceEstimate {
    return estimateKlingCost(spec);
  }

  buildRequest(spec: JobSpec, externalId: string, callbackUrl?: string): unknown {
    if (this.current(spec)) {
      const model = findKlingModel(spec.model) as KlingModel;
      const ref = (url: string | undefined) => {
        const frame = url ? spec.frames?.[url] : undefined;
        return url && frame ? frameReference(url, frame) : url;
      };
      const framed = { ...spec, imageUrl: ref(spec.imageUrl), endImageUrl: ref(spec.endImageUrl) } as JobSpec;
      return buildCurrentRequest(framed, model, klingMode(spec, model) ?? "std", externalId, callbackUrl);
    }
    const body = buildKlingCreateBody(spec, externalId);
    // A local frame is stored as a reference (its file and hash); createTask sends its Base64.
    for (const field of ["image", "image_tail"] as const) {
      const value = body[field];
      const frame = value ? spec.frames?.[value] : undefined;
      if (value && frame) body[field] = frameReference(value, frame);
    }
    return callbackUrl ? { ...body, callback_url: callbackUrl } : body;
  }

  readCallback(delivery: CallbackDelivery): CallbackReport {
    const report = readKlingCallback(delivery, this.webhookSecret, [...this.secrets, this.tokens.current()]);
    // The task changed: the check the callback wakes must not be answered from an older query.
    if (report.taskId) this.queries.forget(report.taskId);
    if (report.snapshot) report.snapshot = this.priced(report.snapshot);
    return report;
  }

  /**
   * Creates the task. When the answer is lost or ambiguous (dropped connection, gateway error,
   * Kling's own 5000–5002), the task is looked up by its external_task_id before anything else is
   * decided: found means created (and paid) — return it; not found after a server error means
   * not created (safe to retry); not found after a lost answer stays unknown, to be looked up again
   * by the next run.
   */
  async createTask(request: unknown, { signal }: CreateContext): Promise<{ taskId: string }> {
    const send = isCurrentRequest(request)
      ? async () => {
          const made = await createCurrentTask(this.call, request, signal);
          this.queries.track(made.taskId);
          return made;
        }
      : async () => {
          const sent = await inlineLegacyFrames(request);
          const data = await this.call("create", "POST", `/v1/videos/${klingKindOf(request)}`, sent, signal);
          return { taskId: readKlingTaskId(data) };
        };
    try {
      return await send();
    } catch (error) {
      if (!isProviderError(error) || (error.kind !== "unknown_outcome" && error.kind !== "transient"))
        throw error;
      // Nothing was sent (a changed frame, a refused connection): no task can exist to look up.
      if (error.code === "FRAME_CHANGED" || wasNeverSent(error.code)) throw error;
      const externalId = externalIdOf(request);
      if (externalId === undefined) throw error;
      // After an error answer, ask at once (a missing task means none was made); after a lost
      // answer, give Kling a moment first. A lookup that fails is asked again after the next delay.
      const delays = error.kind === "transient" ? [0, ...this.lookupDelaysMs] : this.lookupDelaysMs;
      for (const delay of delays) {
        if (delay > 0) await sleep(delay);
        let found: { taskId: string } | undefined;
        try {
          found = await this.findTaskByExternalId({
            externalId,
            request,
            createdAt: new Date().toISOString(),
            keySent: true,
          });
        } catch (lookupError) {
          if (isProviderError(lookupError)) continue; // could not tell: keep the original verdict
          throw lookupError;
        }
        if (found) return found;
        if (error.kind === "transient") throw error; // answered with an error and no task: not created
      }
      throw new ProviderError(
        `${error.message}; no task with external_task_id ${externalId} was found yet, so it is left unknown and looked up again on the next run`,
        { kind: "unknown_outcome", code: error.code, ...(error.status ? { status: error.status } : {}) },
      );
    }
  }

  async getTask({ taskId, request }: TaskRef, signal?: AbortSignal): Promise<TaskSnapshot> {
    if (isCurrentRequest(request)) return this.priced(await this.queries.get(taskId));
    const kind = klingKindOf(request);
    const data = await this.call(
      "status",
      "GET",
      `/v1/videos/${kind}/${encodeURIComponent(taskId)}`,
      undefined,
      signal,
    );
    const task = readKlingTask(data);
    if (!task) {
      throw new ProviderError(`Kling returned no task for ${taskId}`, {
        kind: "not_found",
        code: "KLING_NO_TASK",
      });
    }
    return this.priced(task.snapshot);
  }

  /** Finds the task a create made by its external id, in the standard it was made in. */
  async findTaskByExternalId(
    { externalId, request }: TaskLookup,
    signal?: AbortSignal,
  ): Promise<{ taskId: string } | undefined> {
    if (isCurrentRequest(request)) return findCurrentTask(this.call, externalId, signal);
    return findLegacyTask(this.call, externalId, klingKindOf(request), signal);
  }

  /** Kling keeps videos 30 days; a dead link gets the task's current URL. */
  async refreshVideoUrl(task: TaskRef, oldUrl: string, signal?: AbortSignal): Promise<string | undefined> {
    const snapshot = await this.getTask(task, signal);
    return snapshot.videoUrl && snapshot.videoUrl !== oldUrl ? snapshot.videoUrl : undefined;
  }

  async getBalance(signal?: AbortSignal): Promise<Balance> {
    return readKlingAccountBalance(this.call, this.apiKey !== undefined, signal);
  }

  private priced(snapshot: TaskSnapshot): TaskSnapshot {
    // Units from a resource pack, dollars from a USD balance (the current standard may report both).
    if (snapshot.chargedCredits !== undefined)
      snapshot.chargedUsd = roundUsd(
        (snapshot.chargedUsd ?? 0) + snapshot.chargedCredits * KLING_USD_PER_UNIT,
      );
    return snapshot;
  }
}
