import { UserError } from "../util/errors.js";
import { isLoopbackHost } from "../util/loopback.js";
import { setting } from "../util/setting-name.js";

/**
 * A key is only ever sent over HTTPS, or over HTTP to this machine. Any other `http://` base URL is
 * refused before anything is sent, unless the user says --allow-insecure-http (then it is a
 * warning, returned for the log). Anything that is not an http(s) URL is a usage error.
 */
export function checkBaseUrl(
  baseUrl: string,
  allowInsecureHttp: boolean,
  name: "baseUrl" | "uploadBaseUrl" = "baseUrl",
): string | undefined {
  let url: URL;
  try {
    url = new URL(baseUrl);
  } catch {
    throw new UserError(
      "USAGE",
      `${setting(name)} "${baseUrl.slice(0, 80)}" is not a URL; give the API's address, e.g. https://api.kie.ai`,
    );
  }
  if (url.protocol !== "https:" && url.protocol !== "http:")
    throw new UserError(
      "USAGE",
      `${setting(name)} must be an https:// address (it is ${url.protocol.slice(0, 20)}); nothing was sent`,
    );
  if (url.username || url.password)
    throw new UserError(
      "USAGE",
      `${setting(name)} must not carry a user name or password: they would be sent instead of the API key, which comes from the environment. Nothing was sent.`,
    );
  if (url.protocol === "https:" || isLoopbackHost(url.hostname)) return undefined;
  const warning = `${setting(name)} ${url.origin} is plain http to another machine: the API key travels in clear text`;
  if (allowInsecureHttp) return `${warning} (allowed by ${setting("allowInsecureHttp")})`;
  throw new UserError(
    "CONFIG_INSECURE_URL",
    `${warning}. Use https://, or set ${setting("allowInsecureHttp")} if this network is yours. Nothing was sent.`,
  );
}
