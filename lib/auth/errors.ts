// The closed set of auth failures and their HTTP form. No server-only import: the client
// fetcher may import the types to recognise these bodies.

import type { ApiErrorBody } from "@/lib/api/common";
import { DomainError } from "@/lib/errors";
import { HOST_RULE } from "./host";

export type AuthErrorCode = "unauthenticated" | "forbidden" | "cross-origin" | "loopback-only" | "misdirected" | "misconfigured";

type AuthStatus = 401 | 403 | 421 | 500;

const STATUS: Record<AuthErrorCode, AuthStatus> = {
  unauthenticated: 401,
  forbidden: 403,
  "cross-origin": 403,
  "loopback-only": 403,
  // 421 Misdirected Request: this server does not answer for the Host the request names.
  misdirected: 421,
  misconfigured: 500,
};

const MESSAGE: Record<AuthErrorCode, string> = {
  unauthenticated: "sign-in required",
  forbidden: "your role does not allow this",
  "cross-origin": "cross-origin request refused",
  "loopback-only": "pgpulse runs without sign-in and answers on loopback only",
  misdirected: `host name not served: ${HOST_RULE}`,
  misconfigured: "authentication is misconfigured; see the server log",
};

export class AuthError extends DomainError {
  declare readonly code: AuthErrorCode;
  declare readonly status: AuthStatus;
  /** The role the request needed, for a 403 `forbidden`. */
  readonly required?: string;

  constructor(code: AuthErrorCode, required?: string) {
    // Who may do what is not a thing to cache.
    super(STATUS[code], MESSAGE[code], { code, headers: { "cache-control": "no-store" } });
    this.name = "AuthError";
    this.required = required;
  }

  override body(): AuthErrorBody {
    return this.required ? { ...super.body(), code: this.code, required: this.required } : { ...super.body(), code: this.code };
  }
}

export interface AuthErrorBody extends ApiErrorBody {
  code: AuthErrorCode;
  required?: string;
}
