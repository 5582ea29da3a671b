import "server-only";
import { sourceAddress } from "@/lib/auth/identify";
import { checkPublic, requireRole } from "@/lib/auth/require-role";
import type { Actor, Role } from "@/lib/auth/roles";
import { authSettings } from "@/lib/auth/settings";
import { DomainError } from "@/lib/errors";
import { errorResponse } from "@/lib/server/http/error-response";
import { getRuntime, type Runtime } from "@/lib/server/wiring/runtime";

// Route handlers: check the caller, parse input with zod, call one lib function, answer.
// Whatever they throw is answered by errorResponse (./error-response.ts).

type Ctx<P> = { params: Promise<P> };

interface HandlerContext<P, A> {
  params: P;
  /** The caller, already checked against the role the route was declared with. */
  actor: A;
  /** Read on use: a route answers 503 while pgpulse starts, but only after the role check. */
  readonly rt: Runtime;
  /** The caller's address as the audit log records it (a trusted proxy's X-Forwarded-For). */
  readonly source: string | null;
}

type Handler<P, A> = (req: Request, ctx: HandlerContext<P, A>) => Promise<Response> | Response;

/**
 * A route handler that needs at least `role`. The check (host, origin, identity, role) runs
 * before the handler, so no handler can forget it; a role that depends on the body (EXPLAIN
 * ANALYZE) is the handler's own second requireRole().
 */
export function route<P = Record<string, string>>(role: Role, handler: Handler<P, Actor>) {
  return wrap(async (req) => (await requireRole(req, role)).actor, handler);
}

/** A route anyone may call (health, sign-in): host and origin are still checked. */
export function publicRoute<P = Record<string, string>>(handler: Handler<P, Actor | null>) {
  return wrap(async (req) => (await checkPublic(req)).actor, handler);
}

function wrap<P, A>(authorize: (req: Request) => Promise<A>, handler: Handler<P, A>) {
  return async (req: Request, ctx: Ctx<P>): Promise<Response> => {
    try {
      const actor = await authorize(req);
      const params = await ctx.params;
      return await handler(req, {
        params,
        actor,
        get rt() {
          return getRuntime();
        },
        get source() {
          return sourceAddress(req.headers, authSettings());
        },
      });
    } catch (e) {
      return errorResponse(e);
    }
  };
}

export const notFound = (what: string) => new DomainError(404, `${what} not found`);
