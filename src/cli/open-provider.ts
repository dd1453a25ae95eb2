import { KieProvider } from "../providers/kie.js";
import { KlingProvider } from "../providers/kling.js";
import type { Provider } from "../providers/provider.js";
import { WireflowProvider } from "../providers/wireflow.js";
import { UserError } from "../util/errors.js";

export const PROVIDERS = ["kie", "kling", "wireflow"] as const;

/** Provider settings that are not secrets: Wireflow's workflow and its column mapping. */
export interface ProviderSettings {
  workflow?: string;
  map?: readonly string[];
}
export type ProviderName = (typeof PROVIDERS)[number];

function requireSecret(env: Record<string, string | undefined>, name: string, where: string): string {
  const value = env[name]?.trim();
  if (!value) {
    throw new UserError(
      `${name} is not set. Put it in the environment or in a .env file in this folder (${name}=...; ${where}), or try the built-in simulator with --simulate.`,
      2,
      "CONFIG_NO_KEY",
    );
  }
  return value;
}

/** Builds the adapter for --provider from secrets in the environment (never from flags). */
export function openProvider(
  name: string,
  env: Record<string, string | undefined>,
  baseUrl: string | undefined,
  settings: ProviderSettings = {},
): Provider {
  switch (name) {
    case "kie":
      return new KieProvider(requireSecret(env, "KIE_API_KEY", "from kie.ai/api-key"), baseUrl);
    case "kling": {
      const where = "an AccessKey/SecretKey pair from the Kling API console";
      return new KlingProvider(
        requireSecret(env, "KLING_ACCESS_KEY", where),
        requireSecret(env, "KLING_SECRET_KEY", where),
        baseUrl,
      );
    }
    case "wireflow": {
      const key = requireSecret(env, "WIREFLOW_API_KEY", "from wireflow.ai Settings > API Keys");
      if (!settings.workflow)
        throw new UserError(
          "--provider wireflow needs --workflow <id>: the workflow each row runs (its id is in the workflow's URL on wireflow.ai).",
          2,
          "USAGE_WORKFLOW",
        );
      return new WireflowProvider(key, settings.workflow, baseUrl, settings.map ?? []);
    }
    default:
      throw new UserError(
        `Unknown provider "${name}". Available: ${PROVIDERS.join(", ")}.`,
        2,
        "CONFIG_PROVIDER",
      );
  }
}
