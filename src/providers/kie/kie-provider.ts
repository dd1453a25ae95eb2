import type { JobSpec, SpecField, SpecProblem } from "../../job/job-spec.js";
import { OTHER_VIDEO_MODELS } from "../../job/other-model-names.js";
import { formatUsd } from "../../util/format-usd.js";
import type { PriceEstimate } from "../price.js";
import type {
  Balance,
  CallbackDelivery,
  CallbackReport,
  CreateContext,
  FrameSupport,
  FrameUpload,
  Provider,
  ProviderLimits,
  TaskRef,
  TaskSnapshot,
} from "../provider.js";
import { type ApiCall, createApiCall } from "../provider-call.js";
import { readKieCallback } from "./kie-callback.js";
import { checkKieSpec, findKieModel } from "./kie-models.js";
import { estimateKieCost, KIE_USD_PER_CREDIT } from "./kie-prices.js";
import {
  type KieCall,
  readKieBalance,
  readKieDownloadUrl,
  readKieEnvelope,
  readKieTask,
  readKieTaskId,
} from "./kie-response.js";
import { KIE_FRAME_RULES, KIE_UPLOAD_BASE_URL, KIE_UPLOAD_REUSE_MS, uploadKieFrame } from "./kie-upload.js";

export const KIE_DEFAULT_BASE_URL = "https://api.kie.ai";
/** KIE: "up to 20 new generation requests per 10 seconds"; recordInfo: 10 requests per second. */
export const KIE_LIMITS: ProviderLimits = {
  submitRate: { max: 20, windowMs: 10_000 },
  statusRate: { max: 10, windowMs: 1_000 },
};

export interface KieOptions {
  apiKey: string;
  baseUrl?: string;
  limits?: ProviderLimits;
  /** KIE's webhook HMAC key (kie.ai settings): callbacks signed with it are trusted as they are. */
  webhookKey?: string;
  /** Where frames are uploaded: KIE's upload host, unless a base URL (a proxy, the simulator) serves both. */
  uploadBaseUrl?: string;
}

/** KIE.AI market jobs API, the Kling models of kie-models.ts (docs/provider-contracts.md, KIE). */
export class KieProvider implements Provider {
  readonly name = "kie";
  readonly limits: ProviderLimits;
  readonly unsupportedFields: readonly SpecField[] = [];
  readonly secrets: string[];
  readonly credentials: readonly string[];
  private readonly call: ApiCall<KieCall, unknown>;
  private readonly webhookKey: string | undefined;
  readonly frames: FrameSupport;

  constructor(options: KieOptions) {
    this.secrets = [options.apiKey, ...(options.webhookKey ? [options.webhookKey] : [])];
    this.credentials = [options.apiKey];
    this.webhookKey = options.webhookKey;
    this.limits = options.limits ?? KIE_LIMITS;
    this.call = createApiCall<KieCall, unknown>({
      provider: "KIE",
      baseUrl: options.baseUrl ?? KIE_DEFAULT_BASE_URL,
      createCall: "create",
      authorization: () => `Bearer ${options.apiKey}`,
      secrets: () => this.secrets,
      read: readKieEnvelope,
    });
    const uploadBaseUrl = options.uploadBaseUrl ?? options.baseUrl ?? KIE_UPLOAD_BASE_URL;
    const upload = createApiCall<KieCall, unknown>({
      provider: "KIE",
      baseUrl: uploadBaseUrl,
      createCall: "create",
      authorization: () => `Bearer ${options.apiKey}`,
      secrets: () => this.secrets,
      read: readKieEnvelope,
    });
    this.frames = {
      rules: (spec, field) => {
        const model = findKieModel(spec.model);
        // Other makers' models take JPEG, PNG or WebP up to 10 MB, with no pixel rule of Kling's.
        if (model && (OTHER_VIDEO_MODELS as readonly string[]).includes(model.family))
          return {
            who: `KIE's ${model.label}`,
            formats: ["jpeg", "png", "webp"],
            maxBytes: 10 * 1024 * 1024,
          };
        // A model's narrower formats are for its start frame (kling/v2-1-pro's image_url).
        const formats = field === "imageUrl" ? findKieModel(spec.model)?.imageFormats?.(spec) : undefined;
        return formats ? { ...KIE_FRAME_RULES, formats, who: `KIE's ${spec.model}` } : KIE_FRAME_RULES;
      },
      upload: (file: FrameUpload, signal?: AbortSignal) => uploadKieFrame(upload, file, signal),
      reuseUploadsForMs: KIE_UPLOAD_REUSE_MS,
      uploadHost: new URL(uploadBaseUrl).host,
    };
  }

  checkSpec(spec: JobSpec): SpecProblem[] {
    return checkKieSpec(spec);
  }

  estimateCost(spec: JobSpec): PriceEstimate {
    return estimateKieCost(spec);
  }

  buildRequest(spec: JobSpec, _externalId: string, callbackUrl?: string): unknown {
    const model = findKieModel(spec.model);
    if (!model) throw new Error(`no KIE model for "${spec.model}" (checkKieSpec refuses such rows)`);
    const body = model.body(spec) as unknown as Record<string, unknown>;
    return callbackUrl ? { model: body.model, callBackUrl: callbackUrl, ...body } : body;
  }

  readCallback(delivery: CallbackDelivery): CallbackReport {
    const report = readKieCallback(delivery, this.webhookKey, this.secrets);
    if (report.snapshot?.chargedCredits !== undefined)
      report.snapshot.chargedUsd = report.snapshot.chargedCredits * KIE_USD_PER_CREDIT;
    return report;
  }

  async createTask(request: unknown, { signal }: CreateContext): Promise<{ taskId: string }> {
    return {
      taskId: readKieTaskId(await this.call("create", "POST", "/api/v1/jobs/createTask", request, signal)),
    };
  }

  async getTask({ taskId }: TaskRef, signal?: AbortSignal): Promise<TaskSnapshot> {
    const path = `/api/v1/jobs/recordInfo?taskId=${encodeURIComponent(taskId)}`;
    const snapshot = readKieTask(await this.call("status", "GET", path, undefined, signal));
    if (snapshot.chargedCredits !== undefined)
      snapshot.chargedUsd = snapshot.chargedCredits * KIE_USD_PER_CREDIT;
    return snapshot;
  }

  /**
   * Result URLs expire (24 h per one doc page, 20 min for temp links). Ask recordInfo again, and if
   * it hands back the same dead URL, ask download-url for a fresh temporary link.
   */
  async refreshVideoUrl(task: TaskRef, oldUrl: string, signal?: AbortSignal): Promise<string | undefined> {
    const snapshot = await this.getTask(task, signal);
    if (snapshot.videoUrl && snapshot.videoUrl !== oldUrl) return snapshot.videoUrl;
    const source = snapshot.videoUrl ?? oldUrl;
    const data = await this.call("account", "POST", "/api/v1/common/download-url", { url: source }, signal);
    return readKieDownloadUrl(data);
  }

  async getBalance(signal?: AbortSignal): Promise<Balance> {
    const credits = readKieBalance(
      await this.call("account", "GET", "/api/v1/chat/credit", undefined, signal),
    );
    if (credits === undefined) return { text: "unknown" };
    const usd = credits * KIE_USD_PER_CREDIT;
    return { credits, usd, text: `${credits.toLocaleString("en-US")} credits (${formatUsd(usd)})` };
  }
}
