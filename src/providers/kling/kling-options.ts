import type { ProviderLimits } from "../provider.js";

/** What builds the Kling adapter: its keys, address, limits and waits. */
export interface KlingOptions {
  /** An API key (today's console): Kling's current standard where it covers the model, legacy endpoints otherwise. */
  apiKey?: string;
  /** An AccessKey/SecretKey pair: the legacy standard for every model. */
  accessKey?: string;
  secretKey?: string;
  baseUrl?: string;
  limits?: ProviderLimits;
  /** Pauses before each lookup of a create whose answer was lost. */
  lookupDelaysMs?: readonly number[];
  /** Kling's Standard-Webhooks secret (`whsec_…`): callbacks signed with it are trusted as they are. */
  webhookSecret?: string;
}
