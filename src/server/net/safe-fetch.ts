import dns from "node:dns";
import http from "node:http";
import https from "node:https";
import net from "node:net";
import type { LookupFunction } from "node:net";

/**
 * Reads a page on behalf of a user (link previews, listening feeds) without letting the server be used to reach what only it can reach (SSRF): only
 * http(s) on any port; every address a host name resolves to — at every redirect — must be public (no loopback,
 * private, link-local, carrier-grade NAT, multicast or reserved ranges, in IPv4 or IPv6), unless the operator allowed
 * that host name (PARAPET_LINK_PREVIEW_ALLOWED_HOSTS). The connection goes to the very address that was checked (the
 * check runs inside the socket's DNS lookup), so a name that resolves differently a second time cannot slip past.
 * Bounded: one deadline for the whole exchange, a size cap on what is read, a limited number of redirects.
 */

export type SafeFetchOptions = {
  timeoutMs: number;
  maxBytes: number;
  maxRedirects: number;
  /** Host names (lower case) that may resolve to non-public addresses. */
  allowedHosts: readonly string[];
  /** Content types accepted (prefixes such as "text/html"); others are refused before the body is read. */
  accept: readonly string[];
};

export type SafeFetchResult = { finalUrl: string; contentType: string; body: Buffer; truncated: boolean };

/** Why a fetch was refused or failed: `blocked` (the guard), `unreachable` (network, HTTP status, timeout), `unsupported` (content type). */
export class SafeFetchError extends Error {
  constructor(
    readonly kind: "blocked" | "unreachable" | "unsupported" | "invalid_url",
    message: string,
  ) {
    super(message);
  }
}

const blocked = new net.BlockList();
for (const [address, prefix] of [
  ["0.0.0.0", 8], ["10.0.0.0", 8], ["100.64.0.0", 10], ["127.0.0.0", 8], ["169.254.0.0", 16], ["172.16.0.0", 12],
  ["192.0.0.0", 24], ["192.0.2.0", 24], ["192.88.99.0", 24], ["192.168.0.0", 16], ["198.18.0.0", 15], ["198.51.100.0", 24],
  ["203.0.113.0", 24], ["224.0.0.0", 4], ["240.0.0.0", 4],
] as const) blocked.addSubnet(address, prefix, "ipv4");
for (const [address, prefix] of [
  ["::", 128], ["::1", 128], ["64:ff9b::", 96], ["64:ff9b:1::", 48], ["100::", 64], ["2001::", 23], ["2001:db8::", 32], ["fc00::", 7], ["fe80::", 10], ["fec0::", 10], ["ff00::", 8],
] as const) blocked.addSubnet(address, prefix, "ipv6");

/** Whether an IP address is one the guard refuses (IPv4-mapped IPv6 addresses are judged as their IPv4 address). */
export function isNonPublicAddress(address: string): boolean {
  const family = net.isIP(address);
  if (family === 4) return blocked.check(address, "ipv4");
  if (family !== 6) return true;
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  if (mapped) return blocked.check(mapped[1], "ipv4");
  const hexMapped = /^::ffff:([0-9a-f]{1,4}):([0-9a-f]{1,4})$/i.exec(address);
  if (hexMapped) {
    const hi = parseInt(hexMapped[1], 16);
    const lo = parseInt(hexMapped[2], 16);
    return blocked.check(`${hi >> 8}.${hi & 255}.${lo >> 8}.${lo & 255}`, "ipv4");
  }
  return blocked.check(address, "ipv6");
}

/** Parses and checks a URL a user gave: http(s) only, no credentials in it. */
export function checkedUrl(raw: string): URL {
  let url: URL;
  try {
    url = new URL(raw.trim());
  } catch {
    throw new SafeFetchError("invalid_url", "Not a web address");
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") throw new SafeFetchError("invalid_url", "Only http:// and https:// addresses have previews");
  if (url.username || url.password) throw new SafeFetchError("invalid_url", "An address with a user name or password in it has no preview");
  url.hash = "";
  return url;
}

const bareHost = (url: URL) => url.hostname.replace(/^\[|\]$/g, "").toLowerCase();

/** A DNS lookup for the socket that refuses non-public addresses (unless the host is allowed). */
function guardedLookup(allowed: boolean): LookupFunction {
  return (hostname, options, callback) => {
    dns.lookup(hostname, { ...options, all: true }, (err, addresses) => {
      if (err) return callback(err, "", 4);
      const list = addresses as dns.LookupAddress[];
      const refused = allowed ? undefined : list.find((a) => isNonPublicAddress(a.address));
      if (refused || !list.length) return callback(Object.assign(new Error(`${hostname} resolves to a non-public address`), { code: "PARAPET_BLOCKED" }), "", 4);
      if ((options as { all?: boolean }).all) return (callback as unknown as (e: null, a: dns.LookupAddress[]) => void)(null, list);
      callback(null, list[0].address, list[0].family);
    });
  };
}

/** GETs `raw` under the guard and the bounds above; follows redirects itself, checking each hop. */
export async function safeFetch(raw: string, options: SafeFetchOptions): Promise<SafeFetchResult> {
  const deadline = Date.now() + options.timeoutMs;
  let url = checkedUrl(raw);
  for (let hop = 0; ; hop++) {
    const host = bareHost(url);
    const allowed = options.allowedHosts.includes(host);
    if (net.isIP(host) && !allowed && isNonPublicAddress(host)) throw new SafeFetchError("blocked", `${host} is not a public address`);
    const answer = await fetchOnce(url, allowed, deadline, options);
    if (answer.kind === "body") return answer.result;
    if (hop >= options.maxRedirects) throw new SafeFetchError("unreachable", `More than ${options.maxRedirects} redirects`);
    let next: URL;
    try {
      next = checkedUrl(new URL(answer.location, url).toString());
    } catch (err) {
      throw err instanceof SafeFetchError ? new SafeFetchError("blocked", `Redirected to an address that has no preview: ${err.message}`) : err;
    }
    url = next;
  }
}

type Hop = { kind: "body"; result: SafeFetchResult } | { kind: "redirect"; location: string };

function fetchOnce(url: URL, allowed: boolean, deadline: number, options: SafeFetchOptions): Promise<Hop> {
  return new Promise<Hop>((resolve, reject) => {
    const remaining = deadline - Date.now();
    if (remaining <= 0) return reject(new SafeFetchError("unreachable", "The page took too long to answer"));
    const client = url.protocol === "https:" ? https : http;
    let settled = false;
    const finish = (fn: () => void) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      fn();
    };
    const request = client.get(
      url,
      {
        lookup: guardedLookup(allowed),
        headers: { "user-agent": "Parapet link preview (+https://github.com/parapet)", accept: "text/html,application/xhtml+xml;q=0.9,image/*;q=0.8,*/*;q=0.1", "accept-encoding": "identity" },
        agent: false,
      },
      (response) => {
        const status = response.statusCode ?? 0;
        if ([301, 302, 303, 307, 308].includes(status)) {
          const location = response.headers.location;
          response.destroy();
          request.destroy();
          return finish(() => (location ? resolve({ kind: "redirect", location }) : reject(new SafeFetchError("unreachable", `The page answered ${status} without saying where to`))));
        }
        if (status < 200 || status >= 300) {
          response.destroy();
          request.destroy();
          return finish(() => reject(new SafeFetchError("unreachable", `The page answered ${status}`)));
        }
        const contentType = String(response.headers["content-type"] ?? "").toLowerCase();
        if (!options.accept.some((prefix) => contentType.startsWith(prefix))) {
          response.destroy();
          request.destroy();
          return finish(() => reject(new SafeFetchError("unsupported", `Not a web page (${contentType.split(";")[0] || "no content type"})`)));
        }
        const chunks: Buffer[] = [];
        let size = 0;
        response.on("data", (chunk: Buffer) => {
          if (settled) return;
          const room = options.maxBytes - size;
          chunks.push(chunk.length > room ? chunk.subarray(0, room) : chunk);
          size += Math.min(chunk.length, room);
          if (size >= options.maxBytes) {
            // Enough read: stop the transfer instead of downloading the rest.
            response.destroy();
            request.destroy();
            finish(() => resolve({ kind: "body", result: { finalUrl: url.toString(), contentType, body: Buffer.concat(chunks), truncated: true } }));
          }
        });
        response.on("end", () => finish(() => resolve({ kind: "body", result: { finalUrl: url.toString(), contentType, body: Buffer.concat(chunks), truncated: false } })));
        response.on("error", (err) => finish(() => reject(new SafeFetchError("unreachable", err.message))));
      },
    );
    const timer = setTimeout(() => {
      request.destroy();
      finish(() => reject(new SafeFetchError("unreachable", "The page took too long to answer")));
    }, remaining);
    request.on("error", (err: NodeJS.ErrnoException) => {
      finish(() =>
        reject(err.code === "PARAPET_BLOCKED" ? new SafeFetchError("blocked", err.message) : new SafeFetchError("unreachable", err.code === "ENOTFOUND" ? `${url.hostname} was not found` : err.message)),
      );
    });
  });
}

/**
 * POSTs `body` to `raw` under the same guard (public addresses only unless the host is allowed; the connection goes
 * to the address checked) for outgoing webhooks. Redirects are not followed: a receiver that moved must be updated
 * by whoever set it up. Resolves with the HTTP status whatever it is; rejects with a SafeFetchError when refused,
 * unreachable or too slow. The answer's body is not read.
 */
export function safePost(
  raw: string,
  options: { headers: Record<string, string>; body: string; timeoutMs: number; allowedHosts: readonly string[] },
): Promise<{ status: number; statusText: string }> {
  let url: URL;
  try {
    url = checkedUrl(raw);
  } catch (err) {
    return Promise.reject(err);
  }
  const host = bareHost(url);
  const allowed = options.allowedHosts.includes(host);
  if (net.isIP(host) && !allowed && isNonPublicAddress(host)) return Promise.reject(new SafeFetchError("blocked", `${host} is not a public address`));
  return new Promise((resolve, reject) => {
    const client = url.protocol === "https:" ? https : http;
    let settled = false;
    const finish = (fn: () => void) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      fn();
    };
    const request = client.request(
      url,
      { method: "POST", lookup: guardedLookup(allowed), headers: { ...options.headers, "content-length": String(Buffer.byteLength(options.body)) }, agent: false },
      (response) => {
        response.resume();
        response.destroy();
        finish(() => resolve({ status: response.statusCode ?? 0, statusText: response.statusMessage ?? "" }));
      },
    );
    const timer = setTimeout(() => {
      request.destroy();
      finish(() => reject(new SafeFetchError("unreachable", `no answer within ${options.timeoutMs / 1000} s`)));
    }, options.timeoutMs);
    request.on("error", (err: NodeJS.ErrnoException) => {
      finish(() =>
        reject(err.code === "PARAPET_BLOCKED" ? new SafeFetchError("blocked", err.message) : new SafeFetchError("unreachable", err.code === "ENOTFOUND" ? `${url.hostname} was not found` : err.message)),
      );
    });
    request.end(options.body);
  });
}
