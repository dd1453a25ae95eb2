export const REDACTED = "[redacted]";

/** Every form of each secret seen so far (computed once per secret). */
const variantsCache = new Map<string, readonly string[]>();

function encodings(text: string, into: Set<string>): void {
  const percent = encodeURIComponent(text);
  const json = JSON.stringify(text).slice(1, -1);
  into.add(text);
  into.add(percent);
  into.add(percent.replace(/%[0-9A-F]{2}/g, (m) => m.toLowerCase()));
  into.add(encodeURIComponent(percent)); // a URL inside a URL's query
  into.add(percent.replaceAll("%20", "+")); // form encoding
  into.add(json);
  into.add(json.replaceAll("/", "\\/")); // JSON that escapes slashes (PHP's, KIE's resultJson)
  into.add(json.replace(/[^\x20-\x7e]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`));
  const bytes = Buffer.from(text);
  into.add(bytes.toString("base64").replace(/=+$/, ""));
  into.add(bytes.toString("base64url"));
}

/**
 * The forms a secret can take in what a provider sends back or a URL carries: as it is,
 * percent-encoded (either case, twice, form-encoded), JSON-escaped (with `\/` and `\u` escapes),
 * base64 and base64url; for a Standard-Webhooks `whsec_` secret also its base64 part and the key
 * bytes it encodes (base64, base64url, hex); for a signed token (JWT) its payload and signature.
 */
export function secretVariants(secret: string): readonly string[] {
  const cached = variantsCache.get(secret);
  if (cached) return cached;
  const out = new Set<string>();
  encodings(secret, out);
  const whsec = /^whsec_(.+)$/.exec(secret);
  if (whsec?.[1]) {
    // The same key bytes verify whichever base64 alphabet spells them: cover every spelling.
    const key = Buffer.from(whsec[1], "base64");
    for (const spelling of [whsec[1], key.toString("base64"), key.toString("base64url")]) {
      for (const form of [spelling, spelling.replace(/=+$/, "")]) {
        encodings(form, out);
        encodings(`whsec_${form}`, out);
      }
    }
    out.add(key.toString("hex"));
    out.add(key.toString("hex").toUpperCase());
  }
  const jwt = /^[\w-]+\.([\w-]{8,})\.([\w-]{8,})$/.exec(secret);
  if (jwt?.[1] && jwt[2]) {
    encodings(jwt[1], out);
    encodings(jwt[2], out);
  }
  // Longest first, so that a form that contains another is replaced whole.
  const variants = [...out].filter((v) => v.length >= 4).sort((a, b) => b.length - a.length);
  variantsCache.set(secret, variants);
  return variants;
}

/**
 * Replaces every occurrence of a secret, in any of its forms, in a text. Applied to everything a
 * provider sends (at the adapter, before anything is cut short or stored), to everything stored in
 * the ledger, and again to everything the tool prints, so an API key, a webhook key or the
 * callback path secret echoed back by a provider or a proxy never leaks.
 */
export function redactSecrets(text: string, secrets: readonly string[]): string {
  let out = text;
  for (const secret of secrets) {
    if (secret.length < 4) continue; // too short to be a key; replacing it would garble text
    for (const form of secretVariants(secret)) if (out.includes(form)) out = out.split(form).join(REDACTED);
  }
  return out;
}

/** The same for a parsed JSON value: every string in it, keys included, at any depth. */
export function redactDeep(value: unknown, secrets: readonly string[]): unknown {
  if (typeof value === "string") return redactSecrets(value, secrets);
  if (Array.isArray(value)) return value.map((v) => redactDeep(v, secrets));
  if (typeof value === "object" && value !== null) {
    return Object.fromEntries(
      Object.entries(value).map(([k, v]) => [redactSecrets(k, secrets), redactDeep(v, secrets)]),
    );
  }
  return value;
}
