// Cross-site request refusal for state-changing requests. Browsers attach `Origin` to every
// cross-origin request and to same-origin POST/PUT/PATCH/DELETE; `Sec-Fetch-Site` is set by the
// browser and cannot be set by page script. A request that proves neither is refused: no
// SameSite or token scheme to get subtly wrong. No server-only import: pure, unit-tested.

const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

export interface OriginCheckInput {
  method: string;
  headers: Headers;
  /**
   * Believe `X-Forwarded-Host` (first entry): only when the socket peer is a trusted reverse
   * proxy that may rewrite `Host`.
   */
  trustForwardedHost: boolean;
  /** The request came over TLS (own socket or a trusted proxy's X-Forwarded-Proto). */
  tls: boolean;
}

export function expectedHost(headers: Headers, trustForwardedHost: boolean): string | null {
  const forwarded = trustForwardedHost ? headers.get("x-forwarded-host")?.split(",")[0]?.trim() : undefined;
  const host = forwarded || headers.get("host");
  return host ? host.toLowerCase() : null;
}

/** True when the request may proceed: a safe method, or proof that it comes from our own pages. */
export function originAllowed({ method, headers, trustForwardedHost, tls }: OriginCheckInput): boolean {
  if (SAFE_METHODS.has(method.toUpperCase())) return true;
  const host = expectedHost(headers, trustForwardedHost);
  if (!host) return false;
  const origin = headers.get("origin");
  if (origin !== null) {
    // "null" (sandboxed frames, some redirects) and anything unparsable are refused.
    let parsed: URL;
    try {
      parsed = new URL(origin);
    } catch {
      return false;
    }
    // The scheme is part of the origin: a page served over http must not write to the https
    // site (a network attacker can inject into the former), nor the other way round.
    if (parsed.protocol !== (tls ? "https:" : "http:")) return false;
    return sameHost(parsed, host);
  }
  return headers.get("sec-fetch-site") === "same-origin";
}

// Compares host and port, with the scheme's default port filled in: "https://a" is "a:443".
function sameHost(origin: URL, host: string): boolean {
  const defaultPort = origin.protocol === "https:" ? "443" : "80";
  const originHost = `${origin.hostname.toLowerCase()}:${origin.port || defaultPort}`;
  let target: URL;
  try {
    target = new URL(`${origin.protocol}//${host}`);
  } catch {
    return false;
  }
  return originHost === `${target.hostname.toLowerCase()}:${target.port || defaultPort}`;
}
