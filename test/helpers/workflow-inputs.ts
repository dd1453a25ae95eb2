import type { ProviderInput } from "../../src/job/provider-input.js";

/** The inputs of a character-story workflow, as Wireflow's GET /workflows/{id}/run describes them. */
export const STORY_INPUTS: ProviderInput[] = [
  { id: "node-scene", label: "Scene prompt", type: "text", required: true },
  { id: "node-character", label: "Character", type: "text", required: true },
  { id: "node-style", label: "Style", type: "text", required: false, default: "cinematic" },
  { id: "node-ref", label: "Reference", type: "image", required: false },
  { id: "node-seconds", label: "Duration", type: "number", required: false, default: 5 },
];
