import { NextResponse } from "next/server";
import { requestIsTls } from "@/lib/auth/identify";
import { clearedSessionCookie } from "@/lib/auth/session";
import { authSettings } from "@/lib/auth/settings";
import { isFormPost } from "@/lib/server/http/parse";
import { publicRoute } from "@/lib/server/http/route";

// Sign-out clears the cookie. Sessions are stateless: a copied token stays valid until its
// expiry (auth.sessionTtlSeconds); rotating PGPULSE_SESSION_SECRET ends every session at once.
// Public, but publicRoute still refuses a foreign Origin: no one signs you out from their page.
export const POST = publicRoute((request) => {
  const cookie = clearedSessionCookie(requestIsTls(request.headers, authSettings()));
  if (isFormPost(request)) return new NextResponse(null, { status: 303, headers: { location: "/login", "set-cookie": cookie } });
  return NextResponse.json({ ok: true }, { headers: { "set-cookie": cookie } });
});
