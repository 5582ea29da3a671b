import { NextResponse } from "next/server";
import { originAllowed } from "@/lib/auth/csrf";
import { peerIsTrustedProxy, requestIsTls } from "@/lib/auth/identify";
import { clearedSessionCookie } from "@/lib/auth/session";
import { authSettings } from "@/lib/auth/settings";

// Sign-out clears the cookie. Sessions are stateless: a copied token stays valid until its
// expiry (auth.sessionTtlSeconds); rotating PGPULSE_SESSION_SECRET ends every session at once.
export async function POST(request: Request) {
  const settings = authSettings();
  if (!originAllowed({ method: "POST", headers: request.headers, trustForwardedHost: peerIsTrustedProxy(request.headers, settings) })) {
    return NextResponse.json({ error: "cross-origin request refused" }, { status: 403 });
  }
  const cookie = clearedSessionCookie(requestIsTls(request.headers, settings));
  const isForm = !(request.headers.get("content-type") ?? "").includes("application/json");
  if (isForm) return new NextResponse(null, { status: 303, headers: { location: "/login", "set-cookie": cookie, "cache-control": "no-store" } });
  return NextResponse.json({ ok: true }, { headers: { "set-cookie": cookie, "cache-control": "no-store" } });
}
