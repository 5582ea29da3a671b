import "server-only";
import { NextResponse } from "next/server";
import type { z } from "zod";
import { authErrorResponse } from "@/lib/auth/errors";
import { DbError } from "@/lib/db/errors";
import { logger, scrubSecrets } from "@/lib/log";
import { getRuntime, RuntimeNotReadyError, type Runtime } from "./runtime";

// Route handlers: parse input with zod, call one lib function, and map a closed set of errors
// to HTTP statuses here. Internal messages, SQL and stacks never reach the response.

export class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly param?: string,
  ) {
    super(message);
  }
}

export const notFound = (what: string) => new HttpError(404, `${what} not found`);

type Ctx<P> = { params: Promise<P> };

export function route<P = Record<string, string>>(handler: (req: Request, ctx: { params: P; rt: Runtime }) => Promise<Response> | Response) {
  return async (req: Request, ctx: Ctx<P>): Promise<Response> => {
    try {
      const rt = getRuntime();
      return await handler(req, { params: await ctx.params, rt });
    } catch (e) {
      return errorResponse(e);
    }
  };
}

export function errorResponse(e: unknown): Response {
  const auth = authErrorResponse(e);
  if (auth) return auth;
  if (e instanceof HttpError) {
    return NextResponse.json({ error: e.message, ...(e.param ? { param: e.param } : {}) }, { status: e.status });
  }
  if (e instanceof DbError && e.kind === "connection") {
    // An explicit action (EXPLAIN, cancel) could not reach the target: say so, not "internal".
    return NextResponse.json({ error: `the target did not accept a connection: ${scrubSecrets(e.message)}` }, { status: 503 });
  }
  if (e instanceof RuntimeNotReadyError) {
    return NextResponse.json({ error: "pgpulse is starting; try again in a moment" }, { status: 503, headers: { "retry-after": "2" } });
  }
  logger().error({ err: { message: scrubSecrets(String((e as Error)?.message ?? e)) } }, "request failed");
  return NextResponse.json({ error: "internal error" }, { status: 500 });
}

/** Parses query parameters; the first problem becomes a 400 naming the parameter. */
export function parseQuery<S extends z.ZodType>(req: Request, schema: S): z.output<S> {
  const params = Object.fromEntries(new URL(req.url).searchParams);
  return parseInput(params, schema);
}

export function parseInput<S extends z.ZodType>(input: unknown, schema: S): z.output<S> {
  const r = schema.safeParse(input);
  if (!r.success) {
    const issue = r.error.issues[0];
    const param = issue?.path.join(".") || "(body)";
    throw new HttpError(400, `invalid ${param}: ${issue?.message ?? "invalid"}`, param);
  }
  return r.data;
}

const MAX_BODY_BYTES = 64 * 1024;

/** Reads a JSON body: 415 for another content type, 413 past the limit, 400 for bad JSON. */
export async function readJson(req: Request): Promise<unknown> {
  const type = req.headers.get("content-type") ?? "";
  if (!type.toLowerCase().startsWith("application/json")) throw new HttpError(415, "content-type must be application/json");
  const declared = Number(req.headers.get("content-length") ?? 0);
  if (declared > MAX_BODY_BYTES) throw new HttpError(413, `body larger than ${MAX_BODY_BYTES} bytes`);
  const text = await req.text();
  if (Buffer.byteLength(text) > MAX_BODY_BYTES) throw new HttpError(413, `body larger than ${MAX_BODY_BYTES} bytes`);
  if (text.trim() === "") return {};
  try {
    return JSON.parse(text);
  } catch {
    throw new HttpError(400, "body is not valid JSON", "(body)");
  }
}

export function targetOr404(rt: Runtime, id: string) {
  const t = rt.target(id);
  if (!t) throw notFound(`target "${id.slice(0, 64)}"`);
  return t;
}
