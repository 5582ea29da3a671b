// One place that maps PostgreSQL SQLSTATE codes to the few cases the product treats differently.

export type DbErrorKind =
  | "timeout" // 57014 statement_timeout / cancel
  | "terminated" // 57P01 admin shutdown / pg_terminate_backend
  | "lock_timeout" // 55P03
  | "insufficient_privilege" // 42501
  | "missing_object" // 42P01 undefined table, 42883 undefined function, 3F000 schema
  | "read_only" // 25006
  | "connection" // cannot reach the server, or it went away
  | "other";

/**
 * The original error (pg's, with detail, hint, position) stays reachable as `cause` for
 * debugging. Error.cause is not enumerable, so JSON and pino's default serialisation of this
 * object leave it out; lib/log.ts logs an error's scrubbed message only.
 */
export class DbError extends Error {
  constructor(
    readonly kind: DbErrorKind,
    message: string,
    readonly code?: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = "DbError";
  }
}

const BY_CODE: Record<string, DbErrorKind> = {
  "57014": "timeout",
  "57P01": "terminated",
  "57P02": "terminated",
  "57P03": "connection",
  "55P03": "lock_timeout",
  "42501": "insufficient_privilege",
  "42P01": "missing_object",
  "42883": "missing_object",
  "3F000": "missing_object",
  "25006": "read_only",
  "08000": "connection",
  "08001": "connection",
  "08003": "connection",
  "08006": "connection",
  "28P01": "connection",
  "53300": "connection", // too many connections (server-wide or the role's CONNECTION LIMIT)
  "3D000": "connection",
};

const NETWORK_CODES = new Set(["ECONNREFUSED", "ECONNRESET", "ETIMEDOUT", "EHOSTUNREACH", "ENOTFOUND", "EPIPE"]);

export function toDbError(e: unknown): DbError {
  if (e instanceof DbError) return e;
  const err = e as { code?: string; message?: string };
  const code = typeof err?.code === "string" ? err.code : undefined;
  const message = typeof err?.message === "string" ? err.message : String(e);
  const cause = { cause: e };
  if (code && BY_CODE[code]) return new DbError(BY_CODE[code], message, code, cause);
  if (code && NETWORK_CODES.has(code)) return new DbError("connection", message, code, cause);
  if (/Connection terminated|timeout exceeded when trying to connect|connect ECONNREFUSED/i.test(message)) {
    return new DbError("connection", message, code, cause);
  }
  return new DbError("other", message, code, cause);
}
