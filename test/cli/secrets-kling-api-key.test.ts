import { canaryTests } from "../helpers/canary.js";

// Kling with only an API key: the current standard's creates, its batched queries, its lookups.
canaryTests("klingApiKey");
