import "server-only";
import { NextResponse, type NextRequest } from "next/server";
import { env } from "@/lib/env";
import { gateRequest } from "@/lib/auth/gate";
import { installPeerTagging } from "@/lib/auth/peer";
import { isApiPath } from "@/lib/auth/policy";
import { API_HEADERS, contentSecurityPolicy, createNonce, HSTS_VALUE } from "@/lib/auth/security-headers";

// Runs before every request except build assets. What may pass is decided in lib/auth/gate.ts
// (shared with the read lane, lib/server/http/read-lane.ts); here the verdict becomes Next's
// answer, and pages get the per-request CSP nonce. HSTS only over TLS.

// instrumentation.ts installs this at start; repeating it here is harmless (idempotent) and
// covers a process where it was not. Until then requests carry no peer and are refused.
installPeerTagging();

export function proxy(request: NextRequest) {
  const { pathname, search } = request.nextUrl;
  const api = isApiPath(pathname);
  const verdict = gateRequest({ method: request.method, pathname, headers: request.headers });
  if (!verdict.pass) {
    if (!api && verdict.signInMayHelp) {
      const login = new URL("/login", request.url);
      login.searchParams.set("next", `${pathname}${search}`);
      // Next turns a same-origin Location from the proxy back into a relative one.
      return NextResponse.redirect(login, 307);
    }
    if (api) return NextResponse.json(verdict.body, { status: verdict.status, headers: verdict.headers });
    return new NextResponse(verdict.message, { status: verdict.status, headers: { ...verdict.headers, "content-type": "text/plain; charset=utf-8" } });
  }
  if (api) {
    const res = NextResponse.next();
    for (const [name, value] of Object.entries(API_HEADERS)) res.headers.set(name, value);
    if (verdict.tls) res.headers.set("strict-transport-security", HSTS_VALUE);
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
  if (verdict.tls) res.headers.set("strict-transport-security", HSTS_VALUE);
  return res;
}

// public/'s icon and manifest are left out too: a browser asks for them before anyone signs in.
// Their headers (except the CSP) come from next.config.mjs, which covers every path.
export const config = {
  matcher: ["/((?!_next/static|_next/image|favicon.ico|icon.svg|manifest.webmanifest).*)"],
};
