import { KieProvider } from "../providers/kie.js";
import type { Provider } from "../providers/provider.js";
import { UserError } from "../util/errors.js";

export const PROVIDERS = ["kie"] as const;
export type ProviderName = (typeof PROVIDERS)[number];

/** Builds the adapter for --provider from secrets in the environment (never from flags). */
export function openProvider(
  name: string,
  env: Record<string, string | undefined>,
  baseUrl: string | undefined,
): Provider {
  switch (name) {
    case "kie": {
      const key = env.KIE_API_KEY?.trim();
      if (!key) {
        throw new UserError(
          "KIE_API_KEY is not set. Put it in the environment or in a .env file in this folder (KIE_API_KEY=...), or try the built-in simulator with --simulate.",
          2,
          "CONFIG_NO_KEY",
        );
      }
      return new KieProvider(key, baseUrl);
    }
    default:
      throw new UserError(
        `Unknown provider "${name}". Available: ${PROVIDERS.join(", ")}.`,
        2,
        "CONFIG_PROVIDER",
      );
  }
}
