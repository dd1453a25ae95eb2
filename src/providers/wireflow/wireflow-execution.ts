import type { TaskSnapshot } from "../provider.js";
import { asNumber, asRecord, cleanProviderText } from "../read-json.js";

/** Reading a Wireflow execution: its status, its video, its failure and its credit usage. */

/**
 * Node results: `nodeResults.nodeRuns[]` (docs), `nodeStates[]` (the vendor's script) and the
 * guide's `nodeOutputs` (a map from node id to that node's outputs, e.g. `{"kling-1": {video}}`).
 */
function nodeList(data: Record<string, unknown>): Record<string, unknown>[] {
  const runs = asRecord(data.nodeResults)?.nodeRuns;
  const states = data.nodeStates;
  const outputs = Object.entries(asRecord(data.nodeOutputs) ?? {}).map(([nodeId, output]) => ({
    nodeId,
    output,
  }));
  return [...(Array.isArray(runs) ? runs : []), ...(Array.isArray(states) ? states : []), ...outputs]
    .map(asRecord)
    .filter((n): n is Record<string, unknown> => n !== undefined);
}

const VIDEO_URL = /\.(mp4|webm|mov|m4v)(\?|#|$)/i;

/** URLs a node run produced: `output.videos[].url`, `output.video.url`, `output.url(s)`, `outputUrl(s)`. */
function nodeUrls(node: Record<string, unknown>): string[] {
  const urls: string[] = [];
  const push = (v: unknown) => {
    if (typeof v === "string" && /^https?:\/\//.test(v)) urls.push(v);
    else if (asRecord(v) && typeof asRecord(v)?.url === "string") push(asRecord(v)?.url);
  };
  const output = asRecord(node.output);
  for (const source of [output, node]) {
    if (!source) continue;
    for (const key of ["videos", "outputUrls", "urls"]) {
      const list = source[key];
      if (Array.isArray(list)) list.forEach(push);
    }
    push(source.video);
    push(source.url);
    push(source.outputUrl);
  }
  return urls;
}

/** The video of a finished execution: `finalOutput.url`, else the last node result holding a video. */
function readVideoUrl(data: Record<string, unknown>): string | undefined {
  const final = asRecord(data.finalOutput);
  if (typeof final?.url === "string" && final.url !== "") return final.url;
  const urls = nodeList(data).flatMap(nodeUrls);
  return [...urls].reverse().find((u) => VIDEO_URL.test(u)) ?? urls[urls.length - 1];
}

function readFailure(data: Record<string, unknown>): string {
  const direct = data.error;
  const text =
    typeof direct === "string"
      ? direct
      : typeof asRecord(direct)?.message === "string"
        ? asRecord(direct)?.message
        : "";
  if (text) return cleanProviderText(text);
  for (const node of nodeList(data)) {
    if (node.error) {
      const message = typeof node.error === "string" ? node.error : asRecord(node.error)?.message;
      const label = typeof node.label === "string" ? node.label : node.nodeId;
      return cleanProviderText(`${label ? `${label}: ` : ""}${message}`);
    }
  }
  return "";
}

/** The answer's keys, and the keys of its node results, for a message: `status, nodeResults{nodeRuns}`. */
function describeKeys(data: Record<string, unknown>): string {
  return Object.entries(data)
    .slice(0, 12)
    .map(([key, value]) => {
      const inner = asRecord(value);
      return inner ? `${key}{${Object.keys(inner).slice(0, 6).join(",")}}` : key;
    })
    .join(", ");
}

/**
 * Credits an execution used, from `GET /workflows/executions/{id}` ("full execution details
 * including timing and credit usage per node"). The field names are not in our sources
 * (UNCONFIRMED): a total (`creditsUsed`, `creditsCharged`, `totalCredits`, `credits`, or
 * `creditUsage.total`) when present, else the sum over node runs of the same names. Undefined when
 * the answer holds neither: the estimate then stands.
 */
export function readExecutionCredits(data: Record<string, unknown>): number | undefined {
  const NAMES = ["creditsUsed", "creditsCharged", "totalCredits", "credits", "creditUsage"];
  const read = (record: Record<string, unknown>): number | undefined => {
    for (const name of NAMES) {
      const value = record[name];
      const n = asNumber(value) ?? asNumber(asRecord(value)?.total);
      if (n !== undefined && n >= 0) return n;
    }
    return undefined;
  };
  const total = read(data);
  if (total !== undefined) return total;
  const nodes = nodeList(data)
    .map(read)
    .filter((n): n is number => n !== undefined);
  return nodes.length > 0 ? nodes.reduce((a, b) => a + b, 0) : undefined;
}

/** Reads a poll answer: RUNNING / COMPLETED / FAILED / CANCELLED (queued spellings accepted too). */
export function readExecution(data: Record<string, unknown>): TaskSnapshot {
  const status = typeof data.status === "string" ? data.status.toUpperCase() : "";
  switch (status) {
    case "COMPLETED": {
      const videoUrl = readVideoUrl(data);
      // The guide: "Once status is COMPLETED, the response includes node outputs with URLs". A
      // finished run with no URL in any documented place will not grow one: a row error, naming
      // what the answer did hold, never a poll until --task-timeout.
      if (!videoUrl)
        return {
          state: "failed",
          providerState: status,
          errorCode: "WIREFLOW_NO_OUTPUT",
          errorMessage: `Wireflow reports the execution COMPLETED but its answer holds no video URL (keys: ${describeKeys(data)}); the workflow may not end in a video node. Open the execution at wireflow.ai to fetch its output`,
        };
      return { state: "succeeded", providerState: status, videoUrl };
    }
    case "FAILED":
      return {
        state: "failed",
        providerState: status,
        errorMessage: readFailure(data) || "the workflow failed (no reason given)",
      };
    case "CANCELLED":
      return {
        state: "failed",
        providerState: status,
        errorCode: "CANCELLED",
        errorMessage: readFailure(data) || "the execution was cancelled",
      };
    case "PENDING":
    case "QUEUED":
      return { state: "queued", providerState: status };
    default:
      return { state: "running", providerState: status || "unknown" };
  }
}
