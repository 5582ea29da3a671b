import "server-only";
import { originAllowed } from "./csrf";
import { AuthError } from "./errors";
import { identify, peerIsTrustedProxy, type Unidentified } from "./identify";
import { allows, MUTATING_METHODS, ruleFor, type Access, type Method } from "./policy";
import type { Actor, Role } from "./roles";
import { authSettings, AuthConfigError, type AuthSettings } from "./settings";

// What a route handler calls first:
//
//   const { actor } = await requireRole(request, "responder");
//
// It repeats what proxy.ts checked (origin, identity, role), so a route stays closed even if
// the proxy matcher changes.

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

/** The whole decision for one request; throws AuthError. Returns null for a public route. */
export function checkRequest({ method, pathname, headers, access, settings, now }: CheckInput): Actor | null {
  if ((MUTATING_METHODS as readonly string[]).includes(method.toUpperCase())) {
    if (!originAllowed({ method, headers, trustForwardedHost: peerIsTrustedProxy(headers, settings) })) throw new AuthError("cross-origin");
  }
  if (access === "public") return null;
  const rule = ruleFor(method, pathname);
  const identity = identify(headers, settings, { allowMetricsBearer: rule.bearer === "metrics", now });
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
 * Ensures the caller has at least `role`; throws AuthError (401/403) otherwise. Map it with
 * authErrorResponse() from ./errors.
 */
export async function requireRole(request: Request, role: Role): Promise<{ actor: Actor }> {
  const url = new URL(request.url);
  const actor = checkRequest({
    method: request.method as Method,
    pathname: url.pathname,
    headers: request.headers,
    access: role,
    settings: settingsOrThrow(),
    now: Math.floor(Date.now() / 1000),
  });
  // Unreachable for a role (only "public" yields null); keeps the type exact.
  if (!actor) throw new AuthError("unauthenticated");
  return { actor };
}
