import type { z } from "zod";

// The client side of the wire. Every route parses its answer with its zod schema before sending
// it (lib/api/<resource>.ts), so the browser trusts the answer's type instead of shipping zod and
// the schemas to check it again. The caller names the schema as a type only (`fetchJson<typeof
// xSchema>`), so the answer's type is the contract's own and the import is erased at build.

export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

export async function fetchJson<S extends z.ZodType>(url: string, init?: RequestInit): Promise<z.infer<S>> {
  const res = await fetch(url, { ...init, headers: { accept: "application/json", ...init?.headers } });
  const body: unknown = await res.json().catch(() => null);
  if (!res.ok) {
    const msg = (body as { error?: string } | null)?.error ?? `${res.status} ${res.statusText}`;
    throw new ApiError(res.status, msg);
  }
  if (body === null) throw new ApiError(502, `no JSON in the response from ${url}`);
  return body as z.infer<S>;
}
