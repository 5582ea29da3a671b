import "server-only";
import type { Pool } from "pg";
import { loginRequestSchema, type LoginResponse } from "@/lib/api/login";
import { recordAudit } from "@/lib/auth/audit";
import { requestIsTls, sourceAddress } from "@/lib/auth/identify";
import { loginLimiter } from "@/lib/auth/rate-limit";
import { safeNextPath } from "@/lib/auth/safe-next";
import { sessionCookie, signSession } from "@/lib/auth/session";
import { authSettings } from "@/lib/auth/settings";
import { attemptSignIn } from "@/lib/auth/sign-in";
import { DomainError } from "@/lib/errors";
import { logger } from "@/lib/log";
import { readBodyText } from "@/lib/server/http/body";
import { isFormPost } from "@/lib/server/http/parse";

// Sign-in with a name and a password (built-in auth): JSON from the sign-in form's fetch, or an
// HTML form post, which works without JavaScript.

/** A name and a password fit in a few hundred bytes: bigger bodies are refused unread. */
const MAX_BODY_BYTES = 8 * 1024;
const BAD_BODY = "expected a JSON or form body with name and password";
const NO_STORE = { "cache-control": "no-store" };

export interface SignedIn {
  session: LoginResponse;
  cookie: string;
}

/**
 * Checks the credentials under the rate limit, audits the sign-in and makes the session cookie.
 * Throws DomainError: 404 when this auth mode has no sign-in, 400 for a body without name and
 * password, 429 with retry-after, 401 for a wrong name or password.
 */
export async function signIn(request: Request, auditPool: () => Pool): Promise<SignedIn> {
  const settings = authSettings();
  if (settings.mode !== "builtin" || !settings.sessionSecret) throw refuse(404, "sign-in is not used in this auth mode");
  const text = await readBodyText(request, MAX_BODY_BYTES);
  const input = loginRequestSchema.safeParse(parseBody(text, isFormPost(request)));
  if (!input.success) throw refuse(400, BAD_BODY);
  const { name, password } = input.data;

  const now = Date.now();
  const source = sourceAddress(request.headers, settings);
  const attempt = await attemptSignIn({ name, password, source, now }, { users: settings.users, limiter: loginLimiter() });
  if (attempt.kind === "limited") {
    throw refuse(429, "too many failed sign-ins; try again later", { "retry-after": String(Math.ceil(attempt.retryAfterMs / 1000)) });
  }
  if (attempt.kind === "failed") {
    logger().warn({ user: name.slice(0, 100), source }, "failed sign-in");
    // One message for unknown user and wrong password: no user enumeration.
    throw refuse(401, "wrong user name or password");
  }
  const user = attempt.user;
  // Sign-ins are audited like every other change of who may do what; a store outage must not
  // lock everyone out, so a failed audit write is logged instead.
  try {
    await recordAudit(auditPool(), { actor: { name: user.name, role: user.role }, action: "auth.sign_in", object: `user:${user.name}`, sourceAddress: source });
  } catch (e) {
    logger().error({ err: { message: (e as Error).message } }, "sign-in audit not written");
  }

  const token = signSession(
    { name: user.name, role: user.role, ttlSeconds: settings.sessionTtlSeconds, now: Math.floor(now / 1000) },
    settings.sessionSecret,
  );
  const cookie = sessionCookie(token, { secure: requestIsTls(request.headers, settings), maxAgeSeconds: settings.sessionTtlSeconds });
  return { session: { name: user.name, role: user.role, next: safeNextPath(input.data.next) }, cookie };
}

function parseBody(text: string, form: boolean): unknown {
  try {
    return form ? Object.fromEntries(new URLSearchParams(text)) : JSON.parse(text);
  } catch {
    throw refuse(400, BAD_BODY);
  }
}

const refuse = (status: number, message: string, headers: Record<string, string> = {}) =>
  new DomainError(status, message, { headers: { ...NO_STORE, ...headers } });
