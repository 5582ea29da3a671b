import "server-only";
import { createHash, timingSafeEqual } from "node:crypto";
import { isLoopbackAddress, matchesAny, parseAddress } from "./cidr";
import { boundAddress, peerOf } from "./peer";
import { isRole, type Actor } from "./roles";
import { readCookie, SESSION_COOKIE, verifySession } from "./session";
import type { AuthSettings } from "./settings";

// Who is making this request, by auth mode. Used by proxy.ts and by requireRole(), so the two
// can never disagree.

export const LOCAL_ACTOR: Actor = { name: "local", role: "admin" };
export const METRICS_ACTOR: Actor = { name: "metrics-scraper", role: "viewer" };

export type Unidentified =
  /** No or an invalid/expired session, or no user header from the proxy. */
  | "unauthenticated"
  /** Mode none, but the request did not come over loopback. */
  | "not-loopback"
  /** Proxy mode, but the socket peer is not a trusted proxy: the identity headers are ignored. */
  | "untrusted-peer"
  /** The peer address is unknown (tagging not installed): nothing can be believed. */
  | "no-peer";

export type Identity = { actor: Actor; reason?: undefined } | { actor: null; reason: Unidentified };

export interface IdentifyOptions {
  /** This route accepts the metrics bearer token (policy row `bearer: "metrics"`). */
  allowMetricsBearer?: boolean;
  /** Seconds since the epoch. */
  now: number;
}

export function identify(headers: Headers, settings: AuthSettings, { allowMetricsBearer = false, now }: IdentifyOptions): Identity {
  if (allowMetricsBearer && settings.metricsToken && bearerMatches(headers.get("authorization"), settings.metricsToken)) {
    return { actor: METRICS_ACTOR };
  }
  const peer = peerOf(headers);
  switch (settings.mode) {
    case "none": {
      if (!peer) return { actor: null, reason: "no-peer" };
      const bound = boundAddress();
      if (!isLoopbackAddress(peer.address) || (bound !== null && !isLoopbackAddress(bound))) return { actor: null, reason: "not-loopback" };
      return { actor: LOCAL_ACTOR };
    }
    case "builtin": {
      if (!settings.sessionSecret) return { actor: null, reason: "unauthenticated" };
      const session = verifySession(readCookie(headers.get("cookie"), SESSION_COOKIE), settings.sessionSecret, now);
      if (!session) return { actor: null, reason: "unauthenticated" };
      // The config is the source of truth: a removed user loses access at once, a changed role
      // applies on the next request, not at the next sign-in.
      const user = settings.users.find((u) => u.name === session.sub);
      return user ? { actor: { name: user.name, role: user.role } } : { actor: null, reason: "unauthenticated" };
    }
    case "proxy": {
      const proxy = settings.proxy;
      if (!proxy) return { actor: null, reason: "unauthenticated" };
      if (!peer) return { actor: null, reason: "no-peer" };
      if (!matchesAny(peer.address, proxy.trustedAddresses)) return { actor: null, reason: "untrusted-peer" };
      const name = headers.get(proxy.userHeader)?.trim();
      if (!name || name.length > 200) return { actor: null, reason: "unauthenticated" };
      const claimed = proxy.roleHeader ? headers.get(proxy.roleHeader)?.trim().toLowerCase() : undefined;
      return { actor: { name, role: isRole(claimed) ? claimed : proxy.defaultRole } };
    }
  }
}

// Hash both sides first so the comparison is constant-time regardless of the given length.
function bearerMatches(header: string | null, token: string): boolean {
  const m = header?.match(/^Bearer\s+(\S+)$/i);
  if (!m) return false;
  const a = createHash("sha256").update(m[1]).digest();
  const b = createHash("sha256").update(token).digest();
  return timingSafeEqual(a, b);
}

/** The socket peer is a reverse proxy we were told to trust. */
export function peerIsTrustedProxy(headers: Headers, settings: AuthSettings): boolean {
  const peer = peerOf(headers);
  return peer !== null && settings.trustedProxies.length > 0 && matchesAny(peer.address, settings.trustedProxies);
}

/** https on our own socket, or X-Forwarded-Proto: https from a trusted proxy. */
export function requestIsTls(headers: Headers, settings: AuthSettings): boolean {
  const peer = peerOf(headers);
  if (peer?.tls) return true;
  const proto = headers.get("x-forwarded-proto")?.split(",")[0]?.trim().toLowerCase();
  return proto === "https" && peerIsTrustedProxy(headers, settings);
}

/**
 * The client address for rate limits and the audit log: the socket peer, or, behind a trusted
 * proxy, the right-most X-Forwarded-For entry that is not itself a trusted proxy.
 */
export function sourceAddress(headers: Headers, settings: AuthSettings): string | null {
  const peer = peerOf(headers);
  if (!peer) return null;
  if (!peerIsTrustedProxy(headers, settings)) return peer.address;
  const hops = (headers.get("x-forwarded-for") ?? "").split(",").map((h) => h.trim()).filter(Boolean);
  for (let i = hops.length - 1; i >= 0; i--) {
    // A hop that is not an address was written by someone we do not trust: stop there.
    if (!parseAddress(hops[i])) break;
    if (!matchesAny(hops[i], settings.trustedProxies)) return hops[i];
  }
  return peer.address;
}
