import { NetworkError } from "./http-client.js";
import { ProviderError } from "./provider-error.js";

/**
 * Turns a request that got no answer into a ProviderError. For a create, a request that may have
 * reached the server is `unknown_outcome` (the task may exist and be billed); for a read it is
 * simply transient. Anything else is rethrown: it is a bug, not a network condition.
 */
export function classifyNetworkFailure(error: unknown, isCreate: boolean, provider: string): never {
  if (error instanceof NetworkError) {
    const outcomeUnknown = isCreate && error.mayHaveBeenSent;
    const message = outcomeUnknown
      ? `${provider}: the connection failed after the request was sent (${error.code}); the task may exist`
      : `${provider}: ${error.message}`;
    throw new ProviderError(message, {
      kind: outcomeUnknown ? "unknown_outcome" : "transient",
      code: error.code,
    });
  }
  throw error;
}
