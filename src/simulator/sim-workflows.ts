/** Fixture workflows the simulated Wireflow API serves. */

export interface SimInput {
  nodeId: string;
  label: string;
  type: "text" | "image" | "number";
  required: boolean;
  default: unknown;
  description: string;
}

export interface SimWorkflow {
  id: string;
  name: string;
  inputs: SimInput[];
  /** Credits per run (the estimate), and what the model provider charges for it. */
  credits: number;
  /** Credits a run actually uses, when not the estimate (the details answer reports it). */
  chargedCredits?: number;
  providerCostUsd: number;
}

/** The simulator's workflows: a Kling 2.6 text/image-to-video graph, and one with a required extra input. */
export const SIM_WORKFLOWS: readonly SimWorkflow[] = [
  {
    id: "wf-kling26-demo",
    name: "Kling 2.6 video",
    credits: 20,
    providerCostUsd: 0.35,
    inputs: [
      {
        nodeId: "node-prompt",
        label: "Prompt",
        type: "text",
        required: true,
        default: null,
        description: "What the video shows",
      },
      {
        nodeId: "node-image",
        label: "Start image",
        type: "image",
        required: false,
        default: null,
        description: "Optional first frame",
      },
      {
        nodeId: "node-duration",
        label: "Duration",
        type: "number",
        required: false,
        default: 5,
        description: "5 or 10 seconds",
      },
      {
        nodeId: "node-aspect",
        label: "Aspect ratio",
        type: "text",
        required: false,
        default: "16:9",
        description: "16:9, 9:16 or 1:1",
      },
    ],
  },
  {
    id: "wf-character-story",
    name: "Character story",
    credits: 35,
    chargedCredits: 30,
    providerCostUsd: 0.7,
    inputs: [
      {
        nodeId: "node-scene",
        label: "Scene prompt",
        type: "text",
        required: true,
        default: null,
        description: "The scene",
      },
      {
        nodeId: "node-character",
        label: "Character",
        type: "text",
        required: true,
        default: null,
        description: "Who appears",
      },
      {
        nodeId: "node-style",
        label: "Style",
        type: "text",
        required: false,
        default: "cinematic",
        description: "Look",
      },
    ],
  },
];

/** The `GET /workflows/{id}/run` description of a workflow's inputs. */
export function describeWorkflow(workflow: SimWorkflow): Record<string, unknown> {
  const example: Record<string, unknown> = {};
  for (const i of workflow.inputs) example[i.nodeId] = i.default ?? (i.type === "number" ? 5 : "value");
  return {
    workflowId: workflow.id,
    workflowName: workflow.name,
    inputs: workflow.inputs,
    endpoint: `/api/v1/workflows/${workflow.id}/run`,
    method: "POST",
    example: { inputs: example },
  };
}

/** The `POST /workflows/{id}/estimate` answer for an account holding `balance` credits. */
export function estimateWorkflow(workflow: SimWorkflow, balance: number): Record<string, unknown> {
  return {
    workflowId: workflow.id,
    estimatedCredits: workflow.credits,
    estimatedProviderCostUsd: workflow.providerCostUsd,
    availableCredits: balance,
    creditSource: "subscription",
    sufficient: balance >= workflow.credits,
    estimateComplete: true,
    breakdown: [
      {
        nodeId: "node-video",
        nodeLabel: "Kling 2.6",
        model: "kling-2.6",
        credits: workflow.credits,
        unitCredits: workflow.credits,
        iterations: 1,
        unknownIterations: false,
        fanOutUncertainty: false,
      },
    ],
    warnings: [],
  };
}

/** Why a run's inputs would be refused (400), or undefined when they fit the workflow. */
export function invalidInputs(workflow: SimWorkflow, body: unknown): string | undefined {
  const inputs = (body as { inputs?: unknown } | undefined)?.inputs;
  if (typeof inputs !== "object" || inputs === null || Array.isArray(inputs))
    return "inputs must be an object of nodeId → value";
  const given = inputs as Record<string, unknown>;
  for (const nodeId of Object.keys(given)) {
    if (!workflow.inputs.some((i) => i.nodeId === nodeId)) return `unknown input node: ${nodeId}`;
  }
  for (const input of workflow.inputs) {
    const value = given[input.nodeId];
    if (value === undefined) {
      if (input.required && (input.default === null || input.default === undefined))
        return `missing required input: ${input.label} (${input.nodeId})`;
      continue;
    }
    if (input.type === "number" && typeof value !== "number") return `${input.label} must be a number`;
    if (input.type === "text" && typeof value !== "string") return `${input.label} must be text`;
    if (input.type === "image" && (typeof value !== "string" || !/^https?:\/\//.test(value)))
      return `${input.label} must be an image URL`;
  }
  return undefined;
}
