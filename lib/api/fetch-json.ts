import type { z } from "zod";

// The client side of the wire: every response passes the same zod schema the route handler used.

export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

export async function fetchJson<T>(url: string, schema: z.ZodType<T>, init?: RequestInit): Promise<T> {
  const res = await fetch(url, { ...init, headers: { accept: "application/json", ...init?.headers } });
  const body: unknown = await res.json().catch(() => null);
  if (!res.ok) {
    const msg = (body as { error?: string } | null)?.error ?? `${res.status} ${res.statusText}`;
    throw new ApiError(res.status, msg);
  }
  const parsed = schema.safeParse(body);
  if (!parsed.success) throw new ApiError(502, `unexpected response from ${url}: ${parsed.error.issues[0]?.message}`);
  return parsed.data;
}
