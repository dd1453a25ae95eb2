import { homedir } from "node:os";
import { isAbsolute, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { readShareLink } from "./share-links.js";

/**
 * What an image cell names: a web address (as it will be sent), or a file on this machine (as a
 * `file://` URL of its absolute path, which is how a spec carries it).
 */
export type FrameCell =
  | { kind: "url"; url: string; rewrittenFrom?: string }
  | { kind: "file"; url: string; path: string }
  | { kind: "problem"; message: string };

const UNSUPPORTED_EXTENSION = /\.(gif|bmp|tiff?|heic|heif|svg|avif|mp4|mov|webm|pdf)$/i;
const SCHEME = /^([a-z][a-z0-9+.-]*):/i;

function short(text: string, max = 60): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

/**
 * Reads an image cell: an http(s) URL, a `file://` URL, an absolute path, or a path relative to
 * `baseDir` (the input file's folder). No file is opened here (see inspect-frames.ts).
 */
export function readFrameCell(
  cell: string,
  baseDir: string,
  /** The provider is itself on this machine or network (a simulator, a proxy): it can fetch from there. */
  options: { localHostsOk?: boolean } = {},
): FrameCell {
  const text = cell.trim();
  const scheme = SCHEME.exec(text)?.[1]?.toLowerCase();
  if (scheme === "http" || scheme === "https") return readWebAddress(text, options.localHostsOk === true);
  if (scheme === "file") {
    let path: string;
    try {
      const url = new URL(text);
      // A raw "#" or "?" ends the path of a URL: the file named would be another one.
      if (url.hash || url.search)
        return {
          kind: "problem",
          message: `"${short(text)}" has a "#" or "?" that cuts the file name short in a file:// URL; write them as %23 and %3F, or give the plain path`,
        };
      path = fileURLToPath(url);
    } catch {
      return {
        kind: "problem",
        message: `"${short(text)}" is not a file URL this machine can open; give the file's path instead`,
      };
    }
    return local(path);
  }
  // A Windows drive letter is a path, not a scheme; anything else with a scheme is an address we cannot fetch.
  if (scheme && !/^[a-z]:[\\/]/i.test(text))
    return {
      kind: "problem",
      message: `"${short(text)}" is not a web address the provider can fetch (${scheme}:); give an http(s) URL of a JPEG or PNG image, or the path of an image file`,
    };
  if (text === "~" || text.startsWith("~/")) return local(resolve(homedir(), text.slice(2)));
  return local(isAbsolute(text) ? text : resolve(baseDir, text));
}

function local(path: string): FrameCell {
  return { kind: "file", url: pathToFileURL(path).href, path };
}

function readWebAddress(text: string, localHostsOk: boolean): FrameCell {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return { kind: "problem", message: `"${short(text)}" is not a valid URL; check it for typos` };
  }
  if (url.username || url.password)
    return {
      kind: "problem",
      message: `"${short(url.host)}…" carries a user name or password, which the provider would be given; host the image where a plain link reaches it, or give the file's path`,
    };
  if (!localHostsOk && isLocalHost(url.hostname))
    return {
      kind: "problem",
      message: `"${short(text)}" is on this machine or its local network, which the provider cannot reach; give the file's path instead (it is then uploaded)`,
    };
  const share = readShareLink(url);
  if (share && "refuse" in share) return { kind: "problem", message: `"${short(text)}" ${share.refuse}` };
  const ext = UNSUPPORTED_EXTENSION.exec(url.pathname)?.[1];
  if (ext)
    return {
      kind: "problem",
      message: `images of type .${ext.toLowerCase()} are not accepted; use a JPEG or PNG image`,
    };
  if (share) return { kind: "url", url: share.direct, rewrittenFrom: url.href };
  return { kind: "url", url: url.href };
}

/** The path a `file://` URL of a spec names, or undefined for any other address. */
export function framePathOf(value: string): string | undefined {
  if (!value.startsWith("file:")) return undefined;
  try {
    return fileURLToPath(value);
  } catch {
    return undefined;
  }
}

/** Loopback, private and link-local addresses, and names only a local network resolves. */
function isLocalHost(hostname: string): boolean {
  const host = hostname.toLowerCase().replace(/^\[|\]$/g, "");
  if (
    host === "localhost" ||
    host.endsWith(".localhost") ||
    host.endsWith(".local") ||
    host.endsWith(".internal")
  )
    return true;
  if (/^(127|10)\.\d+\.\d+\.\d+$/.test(host) || /^192\.168\.\d+\.\d+$/.test(host) || /^169\.254\./.test(host))
    return true;
  const b = /^172\.(\d+)\.\d+\.\d+$/.exec(host)?.[1];
  if (b !== undefined && Number(b) >= 16 && Number(b) <= 31) return true;
  if (
    host === "0.0.0.0" ||
    host === "::1" ||
    host === "::" ||
    /^f[cd][0-9a-f]{2}:/.test(host) ||
    /^fe80:/.test(host)
  )
    return true;
  return !host.includes(".") && !host.includes(":"); // a bare name: an intranet host
}
