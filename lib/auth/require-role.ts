import "server-only";
import { expectedHost, originAllowed } from "./csrf";
import { AuthError } from "./errors";
import { hostAllowed } from "./host";
import { identify, peerIsTrustedProxy, requestIsTls, type Unidentified } from "./identify";
import { allows, MUTATING_METHODS, ruleFor, type Access, type Method } from "./policy";
import type { Actor, Role } from "./roles";
import { authSettings, AuthConfigError, type AuthSettings } from "./settings";

// What a route handler calls first (route() in lib/server/http/route.ts does it for every handler it
// wraps; a handler calls it again when the role depends on the body):
//
//   const { actor } = await requireRole(request, "responder");
//
// It repeats what proxy.ts checked (host, origin, identity, role), so a route stays closed even
// if the proxy matcher changes.

export function reasonToError(reason: Unidentified): AuthError {
  if (reason === "not-loopback") return new AuthError("loopback-only");
  if (reason === "no-peer") return new AuthError("misconfigured");
  return new AuthError("unauthenticated");
}

export interface CheckInput {
  method: string;
  pathname: string;
  headers: Headers;
  access: Access;
  settings: AuthSettings;
  now: number;
}

/**
 * The whole decision for one request; throws AuthError. For a public route it returns the
 * caller when one is identified (a route may show them more) and null otherwise.
 */
export function checkRequest({ method, pathname, headers, access, settings, now }: CheckInput): Actor | null {
  const trustForwardedHost = peerIsTrustedProxy(headers, settings);
  // First, in every auth mode: an answer to a rebound name would be readable by its page.
  if (!hostAllowed(expectedHost(headers, trustForwardedHost), settings.publicHost)) throw new AuthError("misdirected");
  if ((MUTATING_METHODS as readonly string[]).includes(method.toUpperCase())) {
    if (!originAllowed({ method, headers, trustForwardedHost, tls: requestIsTls(headers, settings) })) throw new AuthError("cross-origin");
  }
  const rule = ruleFor(method, pathname);
  const identity = identify(headers, settings, { allowMetricsBearer: rule.bearer === "metrics", now });
  if (access === "public") return identity.actor;
  if (!identity.actor) throw reasonToError(identity.reason);
  if (!allows(access, identity.actor.role)) throw new AuthError("forbidden", access);
  return identity.actor;
}

function settingsOrThrow(): AuthSettings {
  try {
    return authSettings();
  } catch (e) {
    if (e instanceof AuthConfigError) throw new AuthError("misconfigured");
    throw e;
  }
}

/**
 * The checks of a public route (host, origin); the caller if one is identified, else null.
 * Throws AuthError, which route() answers (lib/server/http/error-response.ts).
 */
export async function checkPublic(request: Request): Promise<{ actor: Actor | null }> {
  return { actor: check(request, "public") };
}

/**
 * Ensures the caller has at least `role`; throws AuthError (401/403/421) otherwise, which
 * route() answers (lib/server/http/error-response.ts).
 */
export async function requireRole(request: Request, role: Role): Promise<{ actor: Actor }> {
  const actor = check(request, role);
  // Unreachable for a role (only "public" yields null); keeps the type exact.
  if (!actor) throw new AuthError("unauthenticated");
  return { actor };
}

function check(request: Request, access: Access): Actor | null {
  return checkRequest({
    method: request.method as Method,
    pathname: new URL(request.url).pathname,
    headers: request.headers,
    access,
    settings: settingsOrThrow(),
    now: Math.floor(Date.now() / 1000),
  });
}
