import { KIE_LIMITS, KieProvider } from "../providers/kie/kie-provider.js";
import { KLING_LIMITS, KlingProvider } from "../providers/kling/kling-provider.js";
import type { Provider, ProviderLimits } from "../providers/provider.js";
import { PROVIDERS } from "../providers/provider-names.js";
import { createWireflowProvider } from "../providers/wireflow/create-wireflow-provider.js";
import type { WireflowPlan } from "../providers/wireflow/wireflow-plans.js";
import { UserError } from "../util/errors.js";
import { setting } from "../util/setting-name.js";

/** What builds an adapter besides its secrets. */
export interface ProviderSettings {
  baseUrl?: string;
  /** Where frames are uploaded (KIE's upload host, Wireflow's API); default: the base URL when given. */
  uploadBaseUrl?: string;
  /** Wireflow: the workflow each row runs. */
  workflow?: string;
  /** Overrides of the provider's documented limits (--submit-rate, --status-rate). */
  limits?: Partial<ProviderLimits>;
  /** Wireflow: the key's plan, when the user says (--plan). */
  plan?: WireflowPlan;
  /** Waits before asking again about a create whose answer was lost (default: the provider's own). */
  lostAnswerDelaysMs?: readonly number[];
  signal?: AbortSignal;
}

function requireSecret(env: Record<string, string | undefined>, name: string, where: string): string {
  const value = env[name]?.trim();
  if (!value) {
    throw new UserError(
      "CONFIG_NO_KEY",
      `${name} is not set. Put it in the environment (${name}=...; ${where}), or try the built-in simulator with ${setting("simulate")}.`,
    );
  }
  return value;
}

/** An optional secret: set and not blank, or undefined. */
function optionalSecret(env: Record<string, string | undefined>, name: string): string | undefined {
  const value = env[name]?.trim();
  return value ? value : undefined;
}

function withLimits(documented: ProviderLimits, overrides: Partial<ProviderLimits> = {}): ProviderLimits {
  return { ...documented, ...overrides };
}

/** Builds the adapter for --provider from secrets in the environment (never from flags), ready to use. */
export async function openProvider(
  name: string,
  env: Record<string, string | undefined>,
  settings: ProviderSettings = {},
): Promise<Provider> {
  const baseUrl = settings.baseUrl ? { baseUrl: settings.baseUrl } : {};
  const uploadBaseUrl = settings.uploadBaseUrl ? { uploadBaseUrl: settings.uploadBaseUrl } : {};
  switch (name) {
    case "kie": {
      return new KieProvider({
        apiKey: requireSecret(env, "KIE_API_KEY", "from kie.ai/api-key"),
        ...baseUrl,
        ...uploadBaseUrl,
        limits: withLimits(KIE_LIMITS, settings.limits),
        ...(optionalSecret(env, "KIE_WEBHOOK_KEY")
          ? { webhookKey: optionalSecret(env, "KIE_WEBHOOK_KEY") }
          : {}),
      });
    }
    case "kling": {
      // An API key (today's console) when set; else the AccessKey/SecretKey pair, as before.
      const apiKey = optionalSecret(env, "KLING_API_KEY");
      const where = "or KLING_API_KEY: an API key from the Kling API console";
      return new KlingProvider({
        ...(apiKey
          ? { apiKey }
          : {
              accessKey: requireSecret(env, "KLING_ACCESS_KEY", where),
              secretKey: requireSecret(env, "KLING_SECRET_KEY", where),
            }),
        ...baseUrl,
        limits: withLimits(KLING_LIMITS, settings.limits),
        ...(settings.lostAnswerDelaysMs ? { lookupDelaysMs: settings.lostAnswerDelaysMs } : {}),
        ...(optionalSecret(env, "KLING_WEBHOOK_SECRET")
          ? { webhookSecret: optionalSecret(env, "KLING_WEBHOOK_SECRET") }
          : {}),
      });
    }
    case "wireflow": {
      const apiKey = requireSecret(env, "WIREFLOW_API_KEY", "from wireflow.ai Settings > API Keys");
      if (!settings.workflow)
        throw new UserError(
          "USAGE_WORKFLOW",
          `${setting("provider")} wireflow needs ${setting("workflow")} <id>: the workflow each row runs (its id is in the workflow's URL on wireflow.ai).`,
        );
      return createWireflowProvider({
        apiKey,
        workflowId: settings.workflow,
        ...baseUrl,
        ...uploadBaseUrl,
        ...(settings.limits ? { limits: settings.limits } : {}),
        ...(settings.plan ? { plan: settings.plan } : {}),
        ...(settings.lostAnswerDelaysMs ? { replayDelaysMs: settings.lostAnswerDelaysMs } : {}),
        ...(settings.signal ? { signal: settings.signal } : {}),
      });
    }
    default:
      throw new UserError(
        "CONFIG_PROVIDER",
        `Unknown provider "${name}". Available: ${PROVIDERS.join(", ")}.`,
      );
  }
}
