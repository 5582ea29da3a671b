import "server-only";
import { DomainError } from "@/lib/errors";
import { AuthError } from "./errors";
import { REFUSED_METHOD_HEADER } from "./http-guard";
import { requestIsTls } from "./identify";
import { METHODS, requiredAccess } from "./policy";
import { checkRequest } from "./require-role";
import { API_HEADERS } from "./security-headers";
import { authSettings, AuthConfigError } from "./settings";
import { badPathSegment } from "@/lib/server/http/path-guard";

// The first wall, decided once for both ways a request can arrive: proxy.ts (Next's pipeline)
// and the read lane (lib/server/http/read-lane.ts, hot reads answered before Next). Refuses
// methods we do not serve and paths that do not decode, refuses other host names and
// cross-origin writes, and enforces the route × role table (lib/auth/policy.ts). Route handlers
// check again (route() in lib/server/http/route.ts); this is the first wall, not the only one.

export type GateVerdict =
  | { pass: true; tls: boolean }
  | {
      pass: false;
      status: number;
      /** The answer for an API path (JSON). */
      body: ReturnType<DomainError["body"]>;
      /** The answer for a page (plain text). */
      message: string;
      headers: Record<string, string>;
      /** A page read refused for want of a session: sign-in would help (proxy redirects). */
      signInMayHelp: boolean;
    };

let reportedConfigError = false;

export function gateRequest(request: { method: string; pathname: string; headers: Headers }): GateVerdict {
  // Set by the HTTP-layer guard, which let the request on as OPTIONS (http-guard.ts).
  const refusedMethod = request.headers.get(REFUSED_METHOD_HEADER);
  if (refusedMethod !== null) {
    return refuse(new DomainError(405, `method ${refusedMethod.slice(0, 32)} is not allowed`), { allow: METHODS.join(", ") });
  }
  const badPath = badPathSegment(request.pathname);
  if (badPath) return refuse(new DomainError(400, badPath, { param: "path" }));
  let settings;
  try {
    settings = authSettings();
  } catch (e) {
    if (!(e instanceof AuthConfigError)) throw e;
    if (!reportedConfigError) console.error(e.message);
    reportedConfigError = true;
    return refuse(new AuthError("misconfigured"));
  }
  try {
    checkRequest({
      method: request.method,
      pathname: request.pathname,
      headers: request.headers,
      access: requiredAccess(request.method, request.pathname),
      settings,
      now: Math.floor(Date.now() / 1000),
    });
  } catch (e) {
    if (!(e instanceof AuthError)) throw e;
    const read = request.method === "GET" || request.method === "HEAD";
    return { ...refuse(e), signInMayHelp: read && e.code === "unauthenticated" };
  }
  return { pass: true, tls: requestIsTls(request.headers, settings) };
}

// Refusals carry the API headers on pages too: nothing in them may run, be framed or be cached.
function refuse(err: DomainError, extra: Record<string, string> = {}): Extract<GateVerdict, { pass: false }> {
  return { pass: false, status: err.status, body: err.body(), message: err.message, headers: { ...API_HEADERS, ...extra }, signInMayHelp: false };
}
