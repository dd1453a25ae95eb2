/**
 * The execution answers Wireflow's documents show (docs/provider-contracts.md, Wireflow run), one
 * per variant so every shape meets the adapter: the docs' `nodeResults.nodeRuns` with and without
 * `finalOutput`, the vendor script's `nodeStates[]`, the API guide's `nodeOutputs` map with
 * lowercase statuses; each with or without the `data` wrapper.
 */
export type ExecutionStatus = "RUNNING" | "COMPLETED" | "FAILED";

export interface ShapeInput {
  status: ExecutionStatus;
  url: string;
  prompt: string;
  variant: number;
}

const FAILURE = "Content policy violation";

export function pollAnswer({ status, url, prompt, variant }: ShapeInput): unknown {
  const done = status === "COMPLETED";
  const failed = status === "FAILED";
  const error = failed ? { error: `Node "Kling 2.6" failed: ${FAILURE}` } : {};
  let body: Record<string, unknown>;
  switch (variant % 4) {
    case 2: // wf.sh: nodeStates[] with outputUrl
      body = {
        status,
        nodeStates: [
          { nodeId: "node-prompt", label: "Prompt", status: "COMPLETED", text: prompt },
          {
            nodeId: "node-video",
            label: "Kling 2.6",
            status,
            ...(done ? { outputUrl: url } : {}),
            ...(failed ? { error: FAILURE } : {}),
          },
        ],
        ...error,
      };
      break;
    case 3: // the API guide: nodeOutputs["<node id>"].video, statuses in lower case
      body = {
        status: status.toLowerCase(),
        ...(done ? { nodeOutputs: { "node-prompt": { text: prompt }, "node-video": { video: url } } } : {}),
        ...error,
      };
      break;
    default: {
      // The docs: nodeResults.nodeRuns, and finalOutput on every other answer.
      const videoNode = {
        nodeId: "node-video",
        status,
        ...(done ? { output: { videos: [{ url }] } } : {}),
        ...(failed ? { error: FAILURE } : {}),
      };
      body = {
        status,
        nodeResults: {
          nodeRuns: [{ nodeId: "node-prompt", status: "COMPLETED", output: { text: prompt } }, videoNode],
        },
        ...(done && variant % 4 === 0 ? { finalOutput: { url } } : {}),
        ...error,
      };
    }
  }
  return variant % 2 === 0 ? { data: body } : body;
}

/**
 * `GET /workflows/executions/{id}`: full details "including timing and credit usage per node". The
 * field names are not in our sources (UNCONFIRMED): a total `creditsUsed` on even variants, only
 * per-node `creditsUsed` under `nodeResults.nodeRuns` on odd ones.
 */
export function detailsAnswer(
  id: string,
  workflowId: string,
  status: ExecutionStatus,
  credits: number,
  startedAt: number,
  variant: number,
): unknown {
  const end = status === "RUNNING" ? null : new Date().toISOString();
  const nodeRuns = [
    { nodeId: "node-prompt", status: "COMPLETED", ...(variant % 2 === 1 ? { creditsUsed: 0 } : {}) },
    { nodeId: "node-video", status, ...(variant % 2 === 1 ? { creditsUsed: credits } : {}) },
  ];
  return {
    data: {
      id,
      workflowId,
      status,
      startTime: new Date(startedAt).toISOString(),
      endTime: end,
      nodeResults: { nodeRuns },
      ...(variant % 2 === 0 ? { creditsUsed: credits } : {}),
    },
  };
}
