import { SIM_WORKFLOWS } from "../simulator/sim-workflows.js";
import type { Simulator } from "../simulator/simulator.js";
import { startSimulator } from "../simulator/simulator.js";
import type { RunSettings } from "./settings.js";

const SIMULATED_KEY = "simulated-key-not-secret";
const SIMULATED_WIREFLOW_KEY = "sk-simulated-not-secret";

export interface SimulatedSetup {
  simulator: Simulator;
  /** The environment with the simulator's own keys in place of real ones (which are never sent to it). */
  env: Record<string, string | undefined>;
  baseUrl: string;
  workflow?: string;
}

/** `simulate`: a simulator in this process, and the keys, address and workflow that reach it. */
export async function startSimulated(
  options: Pick<RunSettings, "workflow" | "provider">,
  env: Record<string, string | undefined>,
  statePath?: string,
): Promise<SimulatedSetup> {
  const simulator = await startSimulator(
    {
      apiKey: SIMULATED_KEY,
      genTimeMs: 3000,
      // Callbacks are signed with the keys this run verifies with, when it has them.
      callbacks: {
        ...(env.KIE_WEBHOOK_KEY ? { kieWebhookKey: env.KIE_WEBHOOK_KEY } : {}),
        ...(env.KLING_WEBHOOK_SECRET ? { klingWebhookSecret: env.KLING_WEBHOOK_SECRET } : {}),
      },
    },
    0,
    statePath ? { statePath } : {},
  );
  const { kling } = simulator.options();
  const workflow = options.workflow ?? SIM_WORKFLOWS[0]?.id;
  return {
    simulator,
    env: {
      ...env,
      KIE_API_KEY: SIMULATED_KEY,
      KLING_ACCESS_KEY: kling.accessKey,
      KLING_SECRET_KEY: kling.secretKey,
      WIREFLOW_API_KEY: SIMULATED_WIREFLOW_KEY,
    },
    baseUrl: options.provider === "wireflow" ? `${simulator.url}/api/v1` : simulator.url,
    ...(workflow ? { workflow } : {}),
  };
}
