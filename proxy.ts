import "server-only";
import { NextResponse, type NextRequest } from "next/server";
import { env } from "@/lib/env";
import { DomainError } from "@/lib/errors";
import { AuthError } from "@/lib/auth/errors";
import { REFUSED_METHOD_HEADER } from "@/lib/auth/http-guard";
import { requestIsTls } from "@/lib/auth/identify";
import { installPeerTagging } from "@/lib/auth/peer";
import { isApiPath, METHODS, requiredAccess } from "@/lib/auth/policy";
import { checkRequest } from "@/lib/auth/require-role";
import { API_HEADERS, contentSecurityPolicy, createNonce, HSTS_VALUE } from "@/lib/auth/security-headers";
import { authSettings, AuthConfigError, type AuthSettings } from "@/lib/auth/settings";
import { badPathSegment } from "@/lib/server/http/path-guard";

// Runs before every request except build assets: refuses methods we do not serve and paths
// that do not decode, refuses other host names and cross-origin writes, enforces the route ×
// role table (lib/auth/policy.ts), and sets the per-request CSP nonce and HSTS.
// Route handlers check again (route() in lib/server/http/route.ts); this is the first wall, not the only one.

// instrumentation.ts installs this at start; repeating it here is harmless (idempotent) and
// covers a process where it was not. Until then requests carry no peer and are refused.
installPeerTagging();

let reportedConfigError = false;

export function proxy(request: NextRequest) {
  const { pathname, search } = request.nextUrl;
  const api = isApiPath(pathname);
  // Set by the HTTP-layer guard, which let the request on as OPTIONS (lib/auth/http-guard.ts).
  const refusedMethod = request.headers.get(REFUSED_METHOD_HEADER);
  if (refusedMethod !== null) {
    return refuse(405, `method ${refusedMethod.slice(0, 32)} is not allowed`, api, { allow: METHODS.join(", ") });
  }
  const badPath = badPathSegment(pathname);
  if (badPath) return refuse(400, badPath, api, {}, "path");
  let settings: AuthSettings;
  try {
    settings = authSettings();
  } catch (e) {
    if (!(e instanceof AuthConfigError)) throw e;
    if (!reportedConfigError) console.error(e.message);
    reportedConfigError = true;
    return deny(new AuthError("misconfigured"), api);
  }

  try {
    checkRequest({
      method: request.method,
      pathname,
      headers: request.headers,
      access: requiredAccess(request.method, pathname),
      settings,
      now: Math.floor(Date.now() / 1000),
    });
  } catch (e) {
    if (!(e instanceof AuthError)) throw e;
    if (!api && e.code === "unauthenticated" && (request.method === "GET" || request.method === "HEAD")) {
      const login = new URL("/login", request.url);
      login.searchParams.set("next", `${pathname}${search}`);
      // Next turns a same-origin Location from the proxy back into a relative one.
      return NextResponse.redirect(login, 307);
    }
    return deny(e, api);
  }

  const tls = requestIsTls(request.headers, settings);
  if (api) {
    const res = NextResponse.next();
    for (const [name, value] of Object.entries(API_HEADERS)) res.headers.set(name, value);
    if (tls) res.headers.set("strict-transport-security", HSTS_VALUE);
    return res;
  }
  // Next reads the nonce from the request's CSP header and stamps it on its own scripts; pages
  // must render per request (the root layout awaits connection()).
  const nonce = createNonce();
  const csp = contentSecurityPolicy(nonce, { dev: env().NODE_ENV === "development" });
  const requestHeaders = new Headers(request.headers);
  requestHeaders.set("content-security-policy", csp);
  requestHeaders.set("x-nonce", nonce);
  const res = NextResponse.next({ request: { headers: requestHeaders } });
  res.headers.set("content-security-policy", csp);
  if (tls) res.headers.set("strict-transport-security", HSTS_VALUE);
  return res;
}

function deny(err: AuthError, api: boolean): NextResponse {
  if (api) return NextResponse.json(err.body(), { status: err.status, headers: API_HEADERS });
  return refuse(err.status, err.message, false);
}

// Refusals carry the API headers on pages too: nothing in them may run, be framed or be cached.
function refuse(status: number, message: string, api: boolean, extra: Record<string, string> = {}, param?: string): NextResponse {
  const headers = { ...API_HEADERS, ...extra };
  if (api) return NextResponse.json(new DomainError(status, message, { param }).body(), { status, headers });
  return new NextResponse(message, { status, headers: { ...headers, "content-type": "text/plain; charset=utf-8" } });
}

// public/'s icon and manifest are left out too: a browser asks for them before anyone signs in.
// Their headers (except the CSP) come from next.config.mjs, which covers every path.
export const config = {
  matcher: ["/((?!_next/static|_next/image|favicon.ico|icon.svg|manifest.webmanifest).*)"],
};
