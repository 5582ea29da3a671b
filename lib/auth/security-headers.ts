// Per-request security headers set by proxy.ts; the static ones live in next.config.js.
// No server-only import: pure, unit-tested.

/**
 * Script CSP with a per-request nonce: Next reads the nonce from this header and puts it on its
 * own inline hydration scripts and chunks; 'strict-dynamic' lets those load the rest. No
 * 'unsafe-eval' (only React's dev build needs it). Styles allow 'unsafe-inline': recharts and
 * React `style={}` attributes write inline styles, and a nonce cannot cover style attributes.
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
