import type { KnownColumn } from "../input/headers.js";
import { isImageToVideo, type JobSpec } from "../input/job-spec.js";
import { redactSecrets } from "../util/redact.js";
import { type HttpRequest, type HttpResponse, sendRequest } from "./http-client.js";
import { buildKieCreateBody, KIE_MAX_PROMPT } from "./kie-request.js";
import {
  type KieCall,
  readKieBalance,
  readKieDownloadUrl,
  readKieEnvelope,
  readKieTask,
  readKieTaskId,
} from "./kie-response.js";
import { classifyNetworkFailure } from "./network-failure.js";
import { estimateKieCost, KIE_USD_PER_CREDIT, type PriceEstimate } from "./prices.js";
import type { Balance, Provider, TaskRef, TaskSnapshot } from "./provider.js";

export const KIE_DEFAULT_BASE_URL = "https://api.kie.ai";
const SUPPORTED_MODELS = new Set(["kling-2.6", "kling-2.6/text-to-video", "kling-2.6/image-to-video"]);

/** KIE.AI market jobs API, model kling-2.6 (shared/providers.md §1). */
export class KieProvider implements Provider {
  readonly name = "kie";
  // KIE: "up to 20 new generation requests per 10 seconds"; recordInfo: 10 requests per second.
  readonly limits = { creates: { max: 20, windowMs: 10_000 }, statusPerSecond: 10 };
  readonly ignoredColumns: readonly KnownColumn[] = ["negative_prompt", "mode"];
  readonly secrets: readonly string[];
  private readonly baseUrl: string;

  constructor(
    private readonly apiKey: string,
    baseUrl: string = KIE_DEFAULT_BASE_URL,
  ) {
    this.secrets = [apiKey];
    this.baseUrl = baseUrl.replace(/\/+$/, "");
  }

  checkSpec(spec: JobSpec): { column: KnownColumn; message: string }[] {
    const problems: { column: KnownColumn; message: string }[] = [];
    if (spec.prompt.length > KIE_MAX_PROMPT) {
      problems.push({
        column: "prompt",
        message: `the prompt has ${spec.prompt.length} characters; KIE allows at most ${KIE_MAX_PROMPT}. Shorten it`,
      });
    }
    if (!SUPPORTED_MODELS.has(spec.model)) {
      problems.push({
        column: "model",
        message: `model "${spec.model}" is not supported on kie; use kling-2.6`,
      });
    }
    if (spec.endImageUrl !== undefined) {
      problems.push({
        column: "end_image_url",
        message: "KIE's kling-2.6 takes no end frame; leave it empty or use --provider kling",
      });
    }
    const wants = spec.model.endsWith("/text-to-video")
      ? "t"
      : spec.model.endsWith("/image-to-video")
        ? "i"
        : undefined;
    if (wants === "i" && !isImageToVideo(spec))
      problems.push({ column: "image_url", message: "image-to-video needs an image URL" });
    if (wants === "t" && isImageToVideo(spec))
      problems.push({
        column: "model",
        message: "text-to-video takes no image; clear image_url or the model",
      });
    return problems;
  }

  estimateCost(spec: JobSpec): PriceEstimate {
    return estimateKieCost(spec.duration, spec.sound);
  }

  buildRequest(spec: JobSpec): unknown {
    return buildKieCreateBody(spec);
  }

  private async call(
    call: KieCall,
    request: Omit<HttpRequest, "url" | "headers"> & { path: string },
  ): Promise<unknown> {
    let response: HttpResponse;
    try {
      response = await sendRequest({
        method: request.method,
        url: `${this.baseUrl}${request.path}`,
        headers: { authorization: `Bearer ${this.apiKey}` },
        ...(request.json !== undefined ? { json: request.json } : {}),
        timeoutMs: call === "create" ? 60_000 : 30_000,
        ...(request.signal ? { signal: request.signal } : {}),
      });
    } catch (error) {
      classifyNetworkFailure(error, call === "create", "KIE");
    }
    try {
      return readKieEnvelope(response, call);
    } catch (error) {
      // Provider text ends up in the ledger and the results: a key echoed back must not.
      if (error instanceof Error) error.message = redactSecrets(error.message, this.secrets);
      throw error;
    }
  }

  async createTask(request: unknown, signal?: AbortSignal): Promise<{ taskId: string }> {
    const data = await this.call("create", {
      method: "POST",
      path: "/api/v1/jobs/createTask",
      json: request,
      ...(signal ? { signal } : {}),
    });
    return { taskId: readKieTaskId(data) };
  }

  async getTask({ taskId }: TaskRef, signal?: AbortSignal): Promise<TaskSnapshot> {
    const data = await this.call("status", {
      method: "GET",
      path: `/api/v1/jobs/recordInfo?taskId=${encodeURIComponent(taskId)}`,
      ...(signal ? { signal } : {}),
    });
    const snapshot = readKieTask(data);
    if (snapshot.errorMessage) snapshot.errorMessage = redactSecrets(snapshot.errorMessage, this.secrets);
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
    const data = await this.call("account", {
      method: "POST",
      path: "/api/v1/common/download-url",
      json: { url: source },
      ...(signal ? { signal } : {}),
    });
    return readKieDownloadUrl(data);
  }

  async getBalance(signal?: AbortSignal): Promise<Balance> {
    const data = await this.call("account", {
      method: "GET",
      path: "/api/v1/chat/credit",
      ...(signal ? { signal } : {}),
    });
    const credits = readKieBalance(data);
    if (credits === undefined) return { text: "unknown" };
    const usd = credits * KIE_USD_PER_CREDIT;
    return { credits, usd, text: `${credits.toLocaleString("en-US")} credits ($${usd.toFixed(2)})` };
  }
}
