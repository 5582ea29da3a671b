import "server-only";
import type { z } from "zod";
import { DomainError } from "@/lib/errors";
import { readBodyText } from "@/lib/server/http/body";

// Input parsing for route handlers: the first problem becomes a 400 naming the parameter.

export function parseInput<S extends z.ZodType>(input: unknown, schema: S): z.output<S> {
  const r = schema.safeParse(input);
  if (!r.success) {
    const issue = r.error.issues[0];
    const param = issue?.path.join(".") || "(body)";
    throw new DomainError(400, `invalid ${param}: ${issue?.message ?? "invalid"}`, { param });
  }
  return r.data;
}

/** Parses query parameters (each taken once). */
export function parseQuery<S extends z.ZodType>(req: Request, schema: S): z.output<S> {
  const params = Object.fromEntries(new URL(req.url).searchParams);
  return parseInput(params, schema);
}

/** JSON bodies of the API; sign-in has its own, smaller limit. */
export const MAX_BODY_BYTES = 64 * 1024;

/** Reads a JSON body: 415 for another content type, 413 past the limit, 400 for bad JSON. */
export async function readJson(req: Request): Promise<unknown> {
  const type = req.headers.get("content-type") ?? "";
  if (!type.toLowerCase().startsWith("application/json")) throw new DomainError(415, "content-type must be application/json");
  const text = await readBodyText(req, MAX_BODY_BYTES);
  if (text.trim() === "") return {};
  try {
    return JSON.parse(text);
  } catch {
    throw new DomainError(400, "body is not valid JSON", { param: "(body)" });
  }
}

/** Sign-in and sign-out also take HTML form posts (no JavaScript needed): anything not JSON. */
export const isFormPost = (request: Request) => !(request.headers.get("content-type") ?? "").includes("application/json");
