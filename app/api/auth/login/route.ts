import { NextResponse } from "next/server";
import { loginRequestSchema, type LoginResponse } from "@/lib/auth/contracts";
import { originAllowed } from "@/lib/auth/csrf";
import { peerIsTrustedProxy, requestIsTls, sourceAddress } from "@/lib/auth/identify";
import { verifyCredentials } from "@/lib/auth/password";
import { loginLimiter } from "@/lib/auth/rate-limit";
import { safeNextPath } from "@/lib/auth/safe-next";
import { sessionCookie, signSession } from "@/lib/auth/session";
import { authSettings } from "@/lib/auth/settings";
import { recordAudit } from "@/lib/auth/audit";
import { logger } from "@/lib/log";
import { getRuntime } from "@/lib/server/runtime";

// Sign-in: JSON (the sign-in form's fetch) or an HTML form post (works without JavaScript).

const MAX_BODY_BYTES = 8 * 1024;

const json = (body: object, status: number, headers: Record<string, string> = {}) =>
  NextResponse.json(body, { status, headers: { "cache-control": "no-store", ...headers } });

export async function POST(request: Request) {
  const settings = authSettings();
  if (!originAllowed({ method: "POST", headers: request.headers, trustForwardedHost: peerIsTrustedProxy(request.headers, settings) })) {
    return json({ error: "cross-origin request refused" }, 403);
  }
  if (settings.mode !== "builtin" || !settings.sessionSecret) return json({ error: "sign-in is not used in this auth mode" }, 404);

  const isForm = !(request.headers.get("content-type") ?? "").includes("application/json");
  // A name and a password fit in a few hundred bytes: refuse big bodies before reading them.
  if (Number(request.headers.get("content-length") ?? 0) > MAX_BODY_BYTES) return json({ error: "body too large" }, 413);
  let raw: unknown;
  try {
    const text = await request.text();
    if (Buffer.byteLength(text) > MAX_BODY_BYTES) return json({ error: "body too large" }, 413);
    raw = isForm ? Object.fromEntries(new URLSearchParams(text)) : JSON.parse(text);
  } catch {
    return json({ error: "expected a JSON or form body with name and password" }, 400);
  }
  const input = loginRequestSchema.safeParse(raw);
  if (!input.success) return json({ error: "expected a JSON or form body with name and password" }, 400);
  const { name, password } = input.data;

  const limiter = loginLimiter();
  const now = Date.now();
  const keys = [`addr:${sourceAddress(request.headers, settings) ?? "unknown"}`, `user:${name}`];
  const waitMs = Math.max(...keys.map((k) => limiter.retryAfterMs(k, now)));
  if (waitMs > 0) {
    return json({ error: "too many failed sign-ins; try again later" }, 429, { "retry-after": String(Math.ceil(waitMs / 1000)) });
  }

  const user = await verifyCredentials(settings.users, name, password);
  const source = sourceAddress(request.headers, settings);
  if (!user) {
    keys.forEach((k) => limiter.recordFailure(k, now));
    logger().warn({ user: name.slice(0, 100), source }, "failed sign-in");
    // One message for unknown user and wrong password: no user enumeration.
    return json({ error: "wrong user name or password" }, 401);
  }
  limiter.reset(`user:${name}`);
  // Sign-ins are audited like every other change of who may do what; a store outage must not
  // lock everyone out, so a failed audit write is logged instead.
  try {
    await recordAudit(getRuntime().store.pool, {
      actor: { name: user.name, role: user.role },
      action: "auth.sign_in",
      object: `user:${user.name}`,
      sourceAddress: source,
    });
  } catch (e) {
    logger().error({ err: { message: (e as Error).message } }, "sign-in audit not written");
  }

  const token = signSession(
    { name: user.name, role: user.role, ttlSeconds: settings.sessionTtlSeconds, now: Math.floor(now / 1000) },
    settings.sessionSecret,
  );
  const cookie = sessionCookie(token, { secure: requestIsTls(request.headers, settings), maxAgeSeconds: settings.sessionTtlSeconds });
  const next = safeNextPath(input.data.next);
  if (isForm) {
    // 303: the browser follows with GET. A relative Location keeps the browser's own origin.
    return new NextResponse(null, { status: 303, headers: { location: next, "set-cookie": cookie, "cache-control": "no-store" } });
  }
  const body: LoginResponse = { name: user.name, role: user.role, next };
  return json(body, 200, { "set-cookie": cookie });
}
