/**
 * DNS-rebinding protection: with no allow-list only loopback names pass, on any port. Deployments
 * behind a public name list their hosts/origins (or "*" to opt out, e.g. behind a trusted proxy).
 */
const LOOPBACK_HOSTNAMES = new Set(["localhost", "127.0.0.1", "[::1]", "::1"]);

function hostnameOf(host: string): string {
  if (host.startsWith("[")) {
    const end = host.indexOf("]");
    return end > 0 ? host.slice(0, end + 1) : host;
  }
  const colon = host.indexOf(":");
  return colon >= 0 ? host.slice(0, colon) : host;
}

export interface OriginGuard {
  hostAllowed(host: string | null): boolean;
  originAllowed(origin: string | null): boolean;
}

function matcher(list: string[] | undefined, normalise: (value: string) => string | undefined) {
  if (list === undefined) {
    return (value: string) => {
      const hostname = normalise(value);
      return hostname !== undefined && LOOPBACK_HOSTNAMES.has(hostname);
    };
  }
  if (list.includes("*")) return () => true;
  const exact = new Set(list.map((entry) => entry.toLowerCase()));
  return (value: string) => {
    const lower = value.toLowerCase();
    if (exact.has(lower)) return true;
    const hostname = normalise(lower);
    return hostname !== undefined && exact.has(hostname);
  };
}

function originHostname(origin: string): string | undefined {
  try {
    const url = new URL(origin);
    return url.hostname.startsWith("[") ? url.hostname : url.hostname.toLowerCase();
  } catch {
    return undefined;
  }
}

export function createOriginGuard(
  allowedHosts: string[] | undefined,
  allowedOrigins: string[] | undefined,
): OriginGuard {
  const hostMatches = matcher(allowedHosts, (host) => hostnameOf(host.toLowerCase()));
  const originMatches = matcher(allowedOrigins, originHostname);
  return {
    // A request with no Host header cannot be a browser rebinding attack (browsers always send it).
    hostAllowed: (host) => host === null || hostMatches(host),
    // Non-browser clients send no Origin; browsers always do on cross-origin requests.
    originAllowed: (origin) => origin === null || originMatches(origin),
  };
}
