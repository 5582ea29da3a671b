import { NextResponse } from "next/server";
import { loginResponseSchema } from "@/lib/api/login";
import { signIn } from "@/lib/server/commands/sign-in";
import { isFormPost } from "@/lib/server/http/parse";
import { publicRoute } from "@/lib/server/http/route";

// Sign-in: JSON (the sign-in form's fetch) or an HTML form post (works without JavaScript).
// publicRoute checks the host and the Origin before this runs.
export const POST = publicRoute(async (request, ctx) => {
  // The runtime is read only for the audit row: sign-in works while pgpulse is still starting.
  const { session, cookie } = await signIn(request, () => ctx.rt.store.pool);
  if (isFormPost(request)) {
    // 303: the browser follows with GET. A relative Location keeps the browser's own origin.
    return new NextResponse(null, { status: 303, headers: { location: session.next, "set-cookie": cookie, "cache-control": "no-store" } });
  }
  return NextResponse.json(loginResponseSchema.parse(session), { headers: { "set-cookie": cookie, "cache-control": "no-store" } });
});
