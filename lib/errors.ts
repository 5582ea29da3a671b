// The one error type a request may end with on purpose: an HTTP status, a message fit for the
// caller, and optionally a machine-readable code and the parameter at fault. Auth, alert and
// EXPLAIN failures extend it; lib/server/http/error-response.ts is the one place that turns it
// into an answer. No server-only import: the body reader, the auth checks and the client's
// types use it.

import type { ApiErrorBody } from "@/lib/api/common";

// Route handlers and the runtime (collector, delivery worker) are bundled apart, so an error
// made by the runtime's copy of a class is not `instanceof` the route bundle's copy. A
// registered symbol is the same object in every bundle.
const BRAND: unique symbol = Symbol.for("pgpulse.domainError");

export interface DomainErrorOptions {
  code?: string;
  /** The query parameter, path segment or body field that was rejected. */
  param?: string;
  /** Headers the answer carries, e.g. retry-after on a 429. */
  headers?: Record<string, string>;
}

export class DomainError extends Error {
  readonly [BRAND] = true;
  readonly code?: string;
  readonly param?: string;
  readonly headers?: Record<string, string>;

  constructor(
    readonly status: number,
    message: string,
    opts: DomainErrorOptions = {},
  ) {
    super(message);
    this.name = "DomainError";
    this.code = opts.code;
    this.param = opts.param;
    this.headers = opts.headers;
  }

  /** The answer's JSON: the shape every client reads (lib/api/common.ts). */
  body(): ApiErrorBody {
    return { error: this.message, ...(this.code ? { code: this.code } : {}), ...(this.param ? { param: this.param } : {}) };
  }
}

/** True for a DomainError made by any bundle's copy of the class. */
export function isDomainError(e: unknown): e is DomainError {
  return typeof e === "object" && e !== null && (e as { [BRAND]?: unknown })[BRAND] === true;
}
