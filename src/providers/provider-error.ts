/**
 * How the engine must react to a failed provider call. Classified once, in the adapter, from the
 * documented codes; the engine never guesses from message text.
 * - auth: key missing, wrong or expired → stop submitting (exit 3 mid-run)
 * - credits: out of credits, quota or resource pack → stop submitting (exit 3)
 * - quota: the account's allowance for a period (Wireflow's daily executions) is spent → stop
 *   submitting (exit 3); the message says when it resets
 * - rate_limited: wait (Retry-After when given) and slow down
 * - transient: retry with capped exponential back-off
 * - rejected: this request will never succeed as sent (validation, content policy) → the row fails
 * - not_found: the provider does not know the task
 * - unknown_outcome: a create request may have reached the provider but no answer came back;
 *   the task may exist and be billed, so it must not be blindly resent
 */
export type FailureKind =
  | "auth"
  | "credits"
  | "quota"
  | "rate_limited"
  | "transient"
  | "rejected"
  | "not_found"
  | "unknown_outcome";

export interface ProviderErrorDetails {
  kind: FailureKind;
  /** Stable machine-readable code, e.g. KIE_402, HTTP_503, ECONNRESET. */
  code: string;
  status?: number;
  retryAfterMs?: number;
  /** A rate_limited refusal of a create because too many of the account's tasks run at once. */
  concurrencyLimit?: boolean;
}

export class ProviderError extends Error {
  readonly kind: FailureKind;
  readonly code: string;
  readonly status?: number;
  readonly retryAfterMs?: number;
  readonly concurrencyLimit?: boolean;

  constructor(message: string, details: ProviderErrorDetails) {
    super(message);
    this.name = "ProviderError";
    this.kind = details.kind;
    this.code = details.code;
    if (details.status !== undefined) this.status = details.status;
    if (details.retryAfterMs !== undefined) this.retryAfterMs = details.retryAfterMs;
    if (details.concurrencyLimit) this.concurrencyLimit = true;
  }
}

export function isProviderError(error: unknown): error is ProviderError {
  return error instanceof ProviderError;
}
