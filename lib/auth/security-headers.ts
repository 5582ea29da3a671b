// Security headers. The static ones (static-headers.json) are applied by next.config.js to
// routed answers and by the HTTP-layer guard (http-guard.ts) to every answer, Next's own error
// pages included; the per-request CSP and HSTS are set by proxy.ts.
// No server-only import: pure, unit-tested.

import STATIC_HEADERS from "./static-headers.json";

export { STATIC_HEADERS };

/**
 * Every API answer: nothing in it may run, be framed or be kept by a cache (answers carry
 * per-user data and are fetched with the user's cookie).
 */
export const API_HEADERS: Readonly<Record<string, string>> = {
  "content-security-policy": "default-src 'none'; frame-ancestors 'none'",
  "cache-control": "no-store",
};

/**
 * Script CSP with a per-request nonce: Next reads the nonce from this header and puts it on its
 * own inline hydration scripts and chunks; 'strict-dynamic' lets those load the rest. No
 * 'unsafe-eval' (only React's dev build needs it). Styles allow 'unsafe-inline': React `style={}`
 * attributes (chart heights, series colours) are inline styles, and a nonce cannot cover them.
 */
export function contentSecurityPolicy(nonce: string, { dev }: { dev: boolean }): string {
  return [
    "default-src 'self'",
    `script-src 'self' 'nonce-${nonce}' 'strict-dynamic'${dev ? " 'unsafe-eval'" : ""}`,
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self'",
    `connect-src 'self'${dev ? " ws: wss:" : ""}`,
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join("; ");
}

/** One year; sent only when the request came over TLS (browsers ignore it over http anyway). */
export const HSTS_VALUE = "max-age=31536000; includeSubDomains";

export function createNonce(): string {
  const bytes = new Uint8Array(16);
  crypto.getRandomValues(bytes);
  return Buffer.from(bytes).toString("base64");
}
