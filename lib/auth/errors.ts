// The closed set of auth failures and their HTTP form. No server-only import: the client
// fetcher may import the types to recognise these bodies.

export type AuthErrorCode = "unauthenticated" | "forbidden" | "cross-origin" | "loopback-only" | "misconfigured";

const STATUS: Record<AuthErrorCode, 401 | 403 | 500> = {
  unauthenticated: 401,
  forbidden: 403,
  "cross-origin": 403,
  "loopback-only": 403,
  misconfigured: 500,
};

const MESSAGE: Record<AuthErrorCode, string> = {
  unauthenticated: "sign-in required",
  forbidden: "your role does not allow this",
  "cross-origin": "cross-origin request refused",
  "loopback-only": "pgpulse runs without sign-in and answers on loopback only",
  misconfigured: "authentication is misconfigured; see the server log",
};

export class AuthError extends Error {
  readonly code: AuthErrorCode;
  readonly status: 401 | 403 | 500;
  /** The role the request needed, for a 403 `forbidden`. */
  readonly required?: string;

  constructor(code: AuthErrorCode, required?: string) {
    super(MESSAGE[code]);
    this.name = "AuthError";
    this.code = code;
    this.status = STATUS[code];
    this.required = required;
  }
}

export interface AuthErrorBody {
  error: string;
  code: AuthErrorCode;
  required?: string;
}

export function authErrorBody(err: AuthError): AuthErrorBody {
  return err.required ? { error: err.message, code: err.code, required: err.required } : { error: err.message, code: err.code };
}

/** The JSON response for an AuthError; null for anything else (let it propagate). */
export function authErrorResponse(err: unknown): Response | null {
  if (!(err instanceof AuthError)) return null;
  return Response.json(authErrorBody(err), { status: err.status, headers: { "cache-control": "no-store" } });
}
