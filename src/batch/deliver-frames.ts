import { basename } from "node:path";
import { framePathOf } from "../frames/frame-cell.js";
import {
  createFrameVerifier,
  FrameChangedError,
  frameReference,
  readFrameReference,
} from "../frames/inline-frame.js";
import type { JobSpec, LocalFrame } from "../job/job-spec.js";
import type { UploadStore } from "../ledger/upload-store.js";
import type { Provider } from "../providers/provider.js";
import { isProviderError, type ProviderError } from "../providers/provider-error.js";
import { calculateRetryDelay } from "../providers/retry-delay.js";
import { sleep } from "../util/sleep.js";
import type { StopReasonCode } from "./batch-context.js";
import type { EngineTimings } from "./engine-settings.js";

const MAX_UPLOAD_TRIES = 6;

/** What getting a row's frames to the provider came to. */
export type Delivered =
  | { ok: true; spec: JobSpec }
  /** The provider refused the file: the row fails (nothing was submitted). */
  | { ok: false; outcome: "failed"; message: string }
  /** Not now (the upload kept failing, the file changed): the row stays pending for the next run. */
  | { ok: false; outcome: "deferred"; message: string }
  /** The run stops (a rejected key, a stop): the row stays pending, untouched. */
  | { ok: false; outcome: "halted"; halt?: { code: StopReasonCode; message: string } };

export interface FrameDeliveryOptions {
  provider: Provider;
  /** The ledger's uploads for this provider account. */
  uploads: UploadStore;
  timings: EngineTimings;
  /** Called when a file no longer matches what was checked: the next run must read the input again. */
  onFileChanged: () => void;
}

const EXTENSIONS = { jpeg: "jpg", png: "png", webp: "webp" } as const;

/**
 * Gets a row's local frames to the provider before its create: uploads each distinct file once per
 * account (in flight or recorded in the ledger; a recorded upload older than the provider's
 * retention is uploaded again) once the file is found to be still the one that was checked, and returns the spec as it is sent, each local frame replaced by
 * its URL. Providers that take frames inline (Kling) get the spec as it is: their request names the
 * file and its hash, and the adapter sends the bytes. An upload is free and safe to repeat, so a
 * failed one is retried like any transient call; one that keeps failing is the row's error.
 */
export function createFrameDelivery(options: FrameDeliveryOptions) {
  const { provider, uploads, timings } = options;
  const inFlight = new Map<string, Promise<string>>();
  const verify = createFrameVerifier();

  async function uploadOnce(fileUrl: string, frame: LocalFrame, signal: AbortSignal): Promise<string> {
    const recorded = uploads.find(frame.sha256);
    const reuseMs = provider.frames.reuseUploadsForMs;
    if (recorded && (reuseMs === undefined || Date.now() - Date.parse(recorded.uploadedAt) < reuseMs))
      return recorded.url;
    // The bytes uploaded are the bytes that were checked, or nothing is uploaded.
    const data = await readFrameReference(frameReference(fileUrl, frame));
    const upload = provider.frames.upload;
    if (!upload) throw new Error(`${provider.name} takes frames inline; nothing is uploaded`);
    const fileName = `${frame.sha256.slice(0, 32)}.${EXTENSIONS[frame.format]}`;
    for (let tries = 1; ; tries++) {
      try {
        const { url } = await upload({ ...frame, fileName, data }, signal);
        uploads.record({
          sha256: frame.sha256,
          provider: provider.name,
          url,
          bytes: frame.bytes,
          fileName,
          sourcePath: framePathOf(fileUrl) ?? fileUrl,
        });
        return url;
      } catch (error) {
        if (!isProviderError(error) || !retryable(error) || tries >= MAX_UPLOAD_TRIES || signal.aborted)
          throw error;
        await sleep(
          calculateRetryDelay({
            attempt: tries,
            baseMs: timings.retryBaseMs,
            capMs: timings.retryCapMs,
            ...(error.retryAfterMs !== undefined ? { retryAfterMs: error.retryAfterMs } : {}),
          }),
          signal,
        );
      }
    }
  }

  /** One upload per file content at a time: rows sharing a frame wait for the same upload. */
  function urlFor(fileUrl: string, frame: LocalFrame, signal: AbortSignal): Promise<string> {
    let pending = inFlight.get(frame.sha256);
    if (!pending) {
      pending = uploadOnce(fileUrl, frame, signal).finally(() => inFlight.delete(frame.sha256));
      inFlight.set(frame.sha256, pending);
    }
    return pending;
  }

  return {
    async deliver(spec: JobSpec, signal: AbortSignal): Promise<Delivered> {
      const frames = Object.entries(spec.frames ?? {});
      if (frames.length === 0) return { ok: true, spec };
      const sent: JobSpec = { ...spec, ...(spec.inputs ? { inputs: { ...spec.inputs } } : {}) };
      delete sent.frames;
      for (const [fileUrl, frame] of frames) {
        const shown = basename(framePathOf(fileUrl) ?? fileUrl);
        try {
          // The file must still be the one that was checked, even when its upload is recorded: the
          // user edited it to be sent as it is now, and the next run checks it anew.
          await verify(fileUrl, frame);
          if (!provider.frames.upload) continue; // sent inline: the adapter reads it at the create
          const url = await urlFor(fileUrl, frame, signal);
          if (sent.imageUrl === fileUrl) sent.imageUrl = url;
          if (sent.endImageUrl === fileUrl) sent.endImageUrl = url;
          for (const [id, value] of Object.entries(sent.inputs ?? {}))
            if (value === fileUrl && sent.inputs) sent.inputs[id] = url;
        } catch (error) {
          if (signal.aborted) return { ok: false, outcome: "halted" };
          if (error instanceof FrameChangedError) {
            options.onFileChanged();
            return { ok: false, outcome: "deferred", message: `not submitted: ${error.message}` };
          }
          if (!isProviderError(error)) throw error;
          return failedUpload(error, shown, provider.name);
        }
      }
      // Inline frames stay as they are: the adapter's request names each file and its hash.
      return { ok: true, spec: provider.frames.upload ? sent : spec };
    },
  };
}

export type FrameDelivery = ReturnType<typeof createFrameDelivery>;

function retryable(error: ProviderError): boolean {
  return (
    error.kind === "transient" ||
    error.kind === "rate_limited" ||
    error.kind === "not_found" ||
    error.kind === "unknown_outcome" // an upload is not a charge: sending it again is safe
  );
}

function failedUpload(error: ProviderError, shown: string, provider: string): Delivered {
  const what = `the frame ${shown} could not be uploaded to ${provider}: ${error.message}`;
  if (error.kind === "auth" || error.kind === "credits" || error.kind === "quota")
    return { ok: false, outcome: "halted", halt: { code: error.kind, message: what } };
  if (error.kind === "rejected") return { ok: false, outcome: "failed", message: `not submitted: ${what}` };
  return {
    ok: false,
    outcome: "deferred",
    message: `not submitted: ${what}; it will be tried on the next run`,
  };
}
