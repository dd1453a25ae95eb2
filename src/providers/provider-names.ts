/** The providers `--provider` can name. */
export const PROVIDERS = ["kie", "kling", "wireflow"] as const;
export type ProviderName = (typeof PROVIDERS)[number];
