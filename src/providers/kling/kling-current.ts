import { isImageToVideo, type JobSpec } from "../../job/job-spec.js";
import type { TaskSnapshot } from "../provider.js";
import { asNumber, asRecord, cleanProviderText } from "../read-json.js";
import type { KlingModel } from "./kling-models.js";
import type { KlingTask } from "./kling-response.js";

/**
 * Kling's current API standard (docs/provider-contracts.md, Kling current standard): the model in
 * the path, `settings` and `options` in the body, an API key as the bearer, and one query for many
 * tasks. The models it covers and their path names:
 */
export const KLING_CURRENT_PATHS: Partial<Record<KlingModel["family"], string>> = {
  "kling-2.5-turbo": "kling-2.5-turbo",
  "kling-2.6": "kling-2.6",
  "kling-3.0": "kling-3.0",
  "kling-3.0-turbo": "kling-3.0-turbo",
};

/** Models with a `settings.audio` field (2.5 Turbo has none; 3.0 Turbo's pages show none: UNCONFIRMED). */
const AUDIO: ReadonlySet<string> = new Set(["kling-2.6", "kling-3.0"]);

/**
 * A current-standard create as the ledger keeps it: where it goes and the body sent there. The
 * legacy body names its model itself; this one needs its path kept beside it.
 */
export interface KlingCurrentRequest {
  endpoint: string;
  body: Record<string, unknown>;
}

export function isCurrentRequest(request: unknown): request is KlingCurrentRequest {
  const r = request as { endpoint?: unknown; body?: unknown } | undefined;
  return typeof r?.endpoint === "string" && typeof r.body === "object" && r.body !== null;
}

/**
 * The body: `prompt` (text-to-video) or `contents` (prompt, first and last frame), `settings`
 * (resolution 720p for std and 1080p for pro, as Kling maps its legacy modes; duration as an
 * integer; audio native/off where the model has it; aspect ratio for text-to-video) and `options`
 * (the ledger's external id, the callback address).
 */
export function buildCurrentRequest(
  spec: JobSpec,
  model: KlingModel,
  mode: "std" | "pro",
  externalId: string,
  callbackUrl?: string,
): KlingCurrentRequest {
  const path = KLING_CURRENT_PATHS[model.family];
  if (!path) throw new Error(`${model.label} has no current-standard path`);
  const image = isImageToVideo(spec);
  const settings: Record<string, unknown> = {
    resolution: spec.resolution === "4k" ? "4k" : mode === "pro" ? "1080p" : "720p",
    duration: spec.duration,
    ...(AUDIO.has(path) ? { audio: spec.sound ? "native" : "off" } : {}),
    ...(image ? {} : { aspect_ratio: spec.aspectRatio }),
  };
  const options = { external_task_id: externalId, ...(callbackUrl ? { callback_url: callbackUrl } : {}) };
  if (!image) return { endpoint: `/text-to-video/${path}`, body: { prompt: spec.prompt, settings, options } };
  const contents = [
    { type: "prompt", text: spec.prompt },
    { type: "first_frame", url: spec.imageUrl as string },
    ...(spec.endImageUrl ? [{ type: "last_frame", url: spec.endImageUrl }] : []),
  ];
  return { endpoint: `/image-to-video/${path}`, body: { contents, settings, options } };
}

/** What a task's `billing[]` says it cost: resource-pack units, or money from the balance. */
export interface CurrentCharge {
  units?: number;
  usd?: number;
  /** A cash charge in a currency with no documented rate (CNY): never $0, never converted. */
  note?: string;
}

/**
 * `billing[]`: `charge_type` `unit` (`amount` in units) or `cash` (`amount` in `currency`, CNY or
 * USD, after discount; `list_price` before). Amounts are strings. A CNY charge has no documented
 * rate to dollars: it is kept as a note and the task's estimate stays its spend.
 */
export function readCurrentBilling(billing: unknown): CurrentCharge {
  if (!Array.isArray(billing)) return {};
  const charge: CurrentCharge = {};
  const notes: string[] = [];
  for (const item of billing) {
    const b = asRecord(item);
    const amount = asNumber(typeof b?.amount === "string" ? Number(b.amount) : b?.amount);
    if (!b || amount === undefined || !Number.isFinite(amount)) continue;
    if (b.charge_type === "unit") charge.units = (charge.units ?? 0) + amount;
    else if (b.charge_type === "cash" && b.currency === "USD") charge.usd = (charge.usd ?? 0) + amount;
    else if (b.charge_type === "cash")
      notes.push(
        `${amount} ${cleanProviderText(b.currency, 8) || "in an unnamed currency"} from the balance`,
      );
  }
  if (notes.length > 0)
    charge.note = `Kling charged ${notes.join(" and ")}; no exchange rate is documented, so the estimate is counted as its spend`;
  return charge;
}

/**
 * One task of a current-standard answer (a `/tasks` item, or a callback body): `id`, `status`
 * (submitted, processing, succeeded, failed), `message`, `external_id`, `outputs[]` (the video's
 * `url` and `id`) and `billing[]`.
 */
export function readCurrentTask(item: unknown): KlingTask | undefined {
  const record = asRecord(item);
  const id = record?.id;
  if (!record || (typeof id !== "string" && typeof id !== "number")) return undefined;
  const taskId = String(id);
  const status = typeof record.status === "string" ? record.status : "";
  const external =
    typeof record.external_id === "string" && record.external_id !== "" ? record.external_id : undefined;
  const charge = readCurrentBilling(record.billing);
  const charged = {
    ...(charge.units !== undefined ? { chargedCredits: charge.units } : {}),
    ...(charge.usd !== undefined ? { chargedUsd: charge.usd } : {}),
    ...(charge.note ? { chargeNote: charge.note } : {}),
  };
  let snapshot: TaskSnapshot;
  if (status === "succeeded" || status === "succeed") {
    const outputs = Array.isArray(record.outputs) ? record.outputs.map(asRecord) : [];
    const video = outputs.find((o) => o?.type === "video" && typeof o.url === "string" && o.url !== "");
    // Done but no URL yet: still running as far as a download is concerned.
    snapshot = video
      ? {
          state: "succeeded",
          providerState: status,
          videoUrl: video.url as string,
          ...(typeof video.id === "string" && video.id !== "" ? { videoId: video.id } : {}),
          ...charged,
        }
      : { state: "running", providerState: `${status} (no video URL yet)` };
  } else if (status === "failed")
    snapshot = {
      state: "failed",
      providerState: status,
      errorMessage: cleanProviderText(record.message) || "generation failed (no reason given)",
      ...charged,
    };
  else if (status === "submitted") snapshot = { state: "queued", providerState: status };
  else snapshot = { state: "running", providerState: status || "unknown" };
  if (external) snapshot.externalId = external;
  return { taskId, ...(external ? { externalTaskId: external } : {}), snapshot };
}

/**
 * The newest entry of the balance deductions (`data.result.detail[]`, numbers here): what the
 * cash balance was after it, in its currency. The order of entries is not documented: the newest
 * is found by `deduction_time`.
 */
export function readCashBalance(data: unknown): { amount: number; currency: string; at: string } | undefined {
  const detail = asRecord(asRecord(data)?.result)?.detail;
  if (!Array.isArray(detail)) return undefined;
  let newest: { amount: number; currency: string; time: number } | undefined;
  for (const item of detail) {
    const d = asRecord(item);
    const amount = asNumber(d?.balance_after_deduction);
    const time = Number(d?.deduction_time);
    const currency = typeof d?.currency === "string" ? cleanProviderText(d.currency, 8) : "";
    if (amount === undefined || !Number.isFinite(time) || !currency) continue;
    if (!newest || time > newest.time) newest = { amount, currency, time };
  }
  return newest
    ? {
        amount: newest.amount,
        currency: newest.currency,
        at: new Date(newest.time).toISOString().slice(0, 16).replace("T", " "),
      }
    : undefined;
}
