import { createHash } from "node:crypto";
import { statfs } from "node:fs/promises";
import { basename, dirname, join, relative } from "node:path";
import { DownloadError, downloadVideo } from "../download/download-video.js";
import { saveSourceCopies } from "../download/source-copy.js";
import { pathInside, videoExtension } from "../download/video-name.js";
import type { JobSpec } from "../job/job-spec.js";
import type { TaskRow } from "../ledger/types.js";
import { isProviderError } from "../providers/provider-error.js";
import { calculateRetryDelay } from "../providers/retry-delay.js";
import { formatBytes } from "../util/format-bytes.js";
import { setting } from "../util/setting-name.js";
import { sleep } from "../util/sleep.js";
import type { BatchContext } from "./batch-context.js";
import { taskRef } from "./task-ref.js";

/** What collecting a video needs: the ledger, the provider, where videos go, and how to stop. */
export type CollectContext = Pick<
  BatchContext,
  "halt" | "jobs" | "log" | "outcome" | "provider" | "settings" | "signal" | "tasks"
>;

const MAX_TRIES = 6;

/** Free bytes on the file system holding `dir` (undefined when it cannot be told). */
async function freeSpace(dir: string): Promise<number | undefined> {
  try {
    const stats = await statfs(dir);
    return stats.bavail * stats.bsize;
  } catch {
    return undefined; // an older or unusual file system: the message goes without the figure
  }
}

/**
 * Where a task's video goes: the row's name, or, when an earlier attempt of the row (a row redone
 * after review) keeps its video there, the name with this attempt's number (`shot-3.take2.mp4`).
 */
function videoTarget(ctx: CollectContext, task: TaskRow, name: string, extension: string): string {
  const plain = pathInside(ctx.settings.videosDir, `${name}${extension}`);
  if (!ctx.tasks.videoPathTaken(plain, task)) return plain;
  for (let n = task.attempt; ; n++) {
    const take = pathInside(ctx.settings.videosDir, `${name}.take${n}${extension}`);
    if (!ctx.tasks.videoPathTaken(take, task)) return take;
  }
}

/**
 * Downloads a generated task's video into the videos folder and marks the row succeeded. An
 * expired URL is refreshed through the provider once; other failures are retried with back-off.
 * If it still fails, the task stays `generated` in the ledger and the next run downloads it: the
 * paid result is never given up.
 */
export async function collectVideo(
  ctx: CollectContext,
  task: TaskRow,
): Promise<"succeeded" | "stopped" | "unresolved"> {
  const signal = ctx.signal;
  const job = ctx.jobs.get(task.row_key);
  if (!job) throw new Error(`ledger has task ${task.id} for a missing row ${task.row_key}`);
  let url = task.video_url as string;
  let refreshed = false;
  /** The provider's download proxy for `url`, once the CDN refused it. */
  let proxied: string | undefined;
  let lastProblem = "";
  let lastKind: DownloadError["kind"] | undefined;
  for (let attempt = 1; attempt <= MAX_TRIES; attempt++) {
    ctx.tasks.assertOwner();
    const target = videoTarget(ctx, task, `${job.video_name ?? `row-${job.row_index}`}`, videoExtension(url));
    // One temporary file per task, kept between tries so a broken transfer resumes where it stopped.
    const partPath = join(
      dirname(target),
      `.${basename(target)}.${createHash("sha256").update(String(task.id)).digest("hex").slice(0, 8)}.part`,
    );
    try {
      const { bytes } = await downloadVideo(proxied ?? url, target, {
        signal,
        maxBytes: ctx.settings.maxVideoBytes,
        partPath,
        // Nothing goes into the videos folder once another run owns the ledger (and the folder).
        beforeCommit: ctx.tasks.assertOwner,
        ...(ctx.settings.downloadStallMs ? { stallMs: ctx.settings.downloadStallMs } : {}),
      });
      ctx.tasks.recordDownloaded(task, target);
      // The web images the row was made from, kept beside its video for the review and the report.
      const spec = job.spec_json ? (JSON.parse(job.spec_json) as Partial<JobSpec>) : {};
      await saveSourceCopies(target, [spec.imageUrl, spec.endImageUrl], signal);
      ctx.log.row(
        `line ${job.line}: succeeded → ${relative(dirname(ctx.settings.videosDir), target)} (${Math.round(bytes / 1024)} KiB)`,
      );
      return "succeeded";
    } catch (error) {
      if (signal.aborted) return "stopped";
      if (!(error instanceof DownloadError)) throw error;
      lastProblem = error.message;
      lastKind = error.kind;
      // Trying again cannot help a file over the cap or a URL that is not http(s): say so now.
      if (error.kind === "oversize") {
        lastProblem = `${error.message} (${setting("maxVideoBytes")})`;
        ctx.outcome.tooLarge++;
        break;
      }
      if (error.kind === "refused") break;
      if (error.kind === "disk-full") {
        // No new submissions (each would bring another video to store); the task stays paid and
        // `generated`, and the next run downloads it once there is space.
        const free = await freeSpace(ctx.settings.videosDir);
        ctx.halt(
          "disk",
          `the disk holding ${ctx.settings.videosDir} is full${free !== undefined ? ` (${formatBytes(free)} free)` : ""}: free at least ${formatBytes(ctx.settings.maxVideoBytes)} (the largest video accepted), more for the videos still to come`,
        );
        lastProblem = error.message;
        break;
      }
      // A CDN that refuses the download itself (Wireflow's blocks script user agents): once through
      // the provider's documented proxy, with no key; the ledger keeps the original URL.
      if (error.status === 403 && !proxied && ctx.provider.downloadProxyUrl) {
        proxied = ctx.provider.downloadProxyUrl(url);
        lastProblem = `${error.message} (the CDN refused the download)`;
        attempt--;
        continue;
      }
      if (proxied && error.status !== undefined)
        lastProblem = `the CDN refused the download (HTTP 403) and ${ctx.provider.name}'s download proxy answered HTTP ${error.status}`;
      if (error.kind === "expired" && !refreshed && ctx.provider.refreshVideoUrl) {
        refreshed = true;
        try {
          const fresh = await ctx.provider.refreshVideoUrl(taskRef(task), url, signal);
          if (fresh) {
            url = fresh;
            if (proxied && ctx.provider.downloadProxyUrl) proxied = ctx.provider.downloadProxyUrl(fresh);
            ctx.tasks.recordVideoUrl(task, fresh);
            attempt--; // a refresh is not a failed try
            continue;
          }
        } catch (refreshError) {
          if (signal.aborted) return "stopped";
          if (!isProviderError(refreshError)) throw refreshError;
          lastProblem = `${error.message}; asking for a fresh link failed: ${(refreshError as Error).message}`;
        }
      }
      if (attempt < MAX_TRIES) {
        try {
          await sleep(
            calculateRetryDelay({
              attempt,
              // Downloads back off faster than API calls: half the base, a third of the cap.
              baseMs: ctx.settings.timings.retryBaseMs / 2,
              capMs: ctx.settings.timings.retryCapMs / 3,
            }),
            signal,
          );
        } catch (sleepError) {
          if (!signal.aborted) throw sleepError;
          return "stopped";
        }
      }
    }
  }
  const advice =
    lastKind === "oversize"
      ? `raise ${setting("maxVideoBytes")} and run again`
      : lastKind === "disk-full"
        ? "free disk space and run again"
        : "run again";
  const message = `video not downloaded yet: ${lastProblem}; ${advice} to download it (the task is paid and kept)`;
  ctx.tasks.recordDownloadError(task, message);
  ctx.log.warn(`line ${job.line}: ${message}`);
  ctx.outcome.unresolved++;
  return "unresolved";
}
