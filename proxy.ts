import "server-only";
import { NextResponse, type NextRequest } from "next/server";
import { env } from "@/lib/env";
import { AuthError, authErrorBody } from "@/lib/auth/errors";
import { requestIsTls } from "@/lib/auth/identify";
import { installPeerTagging } from "@/lib/auth/peer";
import { isApiPath, requiredAccess } from "@/lib/auth/policy";
import { checkRequest } from "@/lib/auth/require-role";
import { contentSecurityPolicy, createNonce, HSTS_VALUE } from "@/lib/auth/security-headers";
import { authSettings, AuthConfigError, type AuthSettings } from "@/lib/auth/settings";

// Runs before every request except build assets: refuses cross-origin writes, enforces the
// route × role table (lib/auth/policy.ts), and sets the per-request CSP nonce and HSTS.
// Route handlers check again with requireRole(); this is the first wall, not the only one.

// instrumentation.ts installs this at start; repeating it here is harmless (idempotent) and
// covers a process where it was not. Until then requests carry no peer and are refused.
installPeerTagging();

let reportedConfigError = false;

export function proxy(request: NextRequest) {
  const { pathname, search } = request.nextUrl;
  const api = isApiPath(pathname);
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
    res.headers.set("content-security-policy", "default-src 'none'; frame-ancestors 'none'");
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
  // Refusals carry the same CSP as any API answer: nothing in them may run or be framed.
  const headers = { "cache-control": "no-store", "content-security-policy": "default-src 'none'; frame-ancestors 'none'" };
  if (api) return NextResponse.json(authErrorBody(err), { status: err.status, headers });
  return new NextResponse(err.message, { status: err.status, headers: { ...headers, "content-type": "text/plain; charset=utf-8" } });
}

export const config = {
  matcher: ["/((?!_next/static|_next/image|favicon.ico).*)"],
};
