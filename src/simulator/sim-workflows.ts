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
  /** Credits per run, and what the model provider charges for it. */
  credits: number;
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
