import { isIP } from "node:net";

/**
 * Loopback: 127.0.0.0/8, ::1 (and IPv4-mapped 127.x), localhost. A request to it never leaves this
 * machine, and a server listening on it is reached from this machine only.
 */
export function isLoopbackHost(hostname: string): boolean {
  const host = hostname.replace(/^\[|\]$/g, "").toLowerCase();
  if (host === "localhost" || host.endsWith(".localhost")) return true;
  if (isIP(host) === 4) return host.startsWith("127.");
  if (isIP(host) === 6) return host === "::1" || /^::ffff:127\./.test(host);
  return false;
}
