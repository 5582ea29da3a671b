import { hasRole, type Role } from "./roles";

// The route × method → minimum role table. proxy.ts enforces it on every request; route handlers
// call requireRole() with the role named here (defense in depth: a matcher change must not open
// a route). docs/SECURITY.md prints this table; an e2e test walks it using `example`.
// No server-only import: it is pure data, and tests iterate it.

export type Access = "public" | Role;
export type Method = "GET" | "HEAD" | "POST" | "PUT" | "PATCH" | "DELETE" | "OPTIONS";

/** Every method pgpulse serves; any other is answered 405 (lib/auth/http-guard.ts, proxy.ts). */
export const METHODS: readonly Method[] = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"];
export const MUTATING_METHODS: readonly Method[] = ["POST", "PUT", "PATCH", "DELETE"];
const READ: readonly Method[] = ["GET", "HEAD"];
const ANY = "*" as const;

export interface PolicyRule {
  methods: readonly Method[] | typeof ANY;
  /** Segments; ":name" is one segment, a final "**" is zero or more. First matching row wins. */
  pattern: string;
  access: Access;
  /** A request variant the route handler knows about (from the body), e.g. EXPLAIN ANALYZE. */
  variant?: "analyze";
  /** GET /api/metrics also accepts `Authorization: Bearer <PGPULSE_METRICS_TOKEN>`. */
  bearer?: "metrics";
  /** A concrete path for the e2e walk of this table. */
  example: string;
  note: string;
}

export const POLICY: readonly PolicyRule[] = [
  { methods: READ, pattern: "/api/health", access: "public", example: "/api/health", note: "liveness for load balancers; no details" },
  { methods: ["POST"], pattern: "/api/auth/login", access: "public", example: "/api/auth/login", note: "sign-in (rate-limited)" },
  { methods: ["POST"], pattern: "/api/auth/logout", access: "public", example: "/api/auth/logout", note: "clears the session cookie" },
  { methods: READ, pattern: "/api/auth/me", access: "viewer", example: "/api/auth/me", note: "who am I" },
  { methods: READ, pattern: "/api/metrics", access: "viewer", bearer: "metrics", example: "/api/metrics", note: "Prometheus exposition; viewer session or bearer token" },
  { methods: ["POST"], pattern: "/api/alerts/:id/ack", access: "responder", example: "/api/alerts/1/ack", note: "acknowledge an alert" },
  { methods: ["POST", "DELETE"], pattern: "/api/silences", access: "responder", example: "/api/silences", note: "create / expire a silence" },
  { methods: ["POST", "DELETE"], pattern: "/api/silences/:id", access: "responder", example: "/api/silences/1", note: "create / expire a silence" },
  { methods: ["POST"], pattern: "/api/targets/:id/explain", access: "admin", variant: "analyze", example: "/api/targets/demo/explain", note: "EXPLAIN ANALYZE on a target executes the statement" },
  { methods: ["POST"], pattern: "/api/targets/:id/explain", access: "responder", example: "/api/targets/demo/explain", note: "EXPLAIN on a target without ANALYZE (plan only)" },
  { methods: ["POST"], pattern: "/api/targets/:id/sessions/:pid/cancel", access: "admin", example: "/api/targets/demo/sessions/1/cancel", note: "pg_cancel_backend" },
  { methods: ["POST"], pattern: "/api/targets/:id/sessions/:pid/terminate", access: "admin", example: "/api/targets/demo/sessions/1/terminate", note: "pg_terminate_backend" },
  { methods: ["POST"], pattern: "/api/notifications/test", access: "admin", example: "/api/notifications/test", note: "send a test notification" },
  { methods: ["POST"], pattern: "/api/channels/:id/test", access: "admin", example: "/api/channels/ops-hook/test", note: "send a test notification to one channel" },
  { methods: MUTATING_METHODS, pattern: "/api/settings/**", access: "admin", example: "/api/settings/rules", note: "settings writes" },
  { methods: READ, pattern: "/api/**", access: "viewer", example: "/api/targets", note: "every read API" },
  { methods: MUTATING_METHODS, pattern: "/api/**", access: "admin", example: "/api/unlisted", note: "unlisted writes get the strictest role until listed" },
  { methods: ANY, pattern: "/api/**", access: "viewer", example: "/api/targets", note: "other methods: the route answers 405" },
  { methods: ANY, pattern: "/_next/static/**", access: "public", example: "/_next/static/x.js", note: "build assets (outside the proxy matcher)" },
  { methods: READ, pattern: "/favicon.ico", access: "public", example: "/favicon.ico", note: "icon (outside the proxy matcher)" },
  { methods: READ, pattern: "/icon.svg", access: "public", example: "/icon.svg", note: "icon (outside the proxy matcher)" },
  { methods: READ, pattern: "/manifest.webmanifest", access: "public", example: "/manifest.webmanifest", note: "web app manifest (outside the proxy matcher)" },
  { methods: ANY, pattern: "/login", access: "public", example: "/login", note: "sign-in page" },
  { methods: ANY, pattern: "/**", access: "viewer", example: "/", note: "every page" },
];

export function matchPattern(pattern: string, pathname: string): boolean {
  const want = split(pattern);
  const got = split(pathname);
  for (let i = 0; i < want.length; i++) {
    if (want[i] === "**" && i === want.length - 1) return true;
    if (i >= got.length) return false;
    if (want[i].startsWith(":")) continue;
    if (want[i] !== got[i]) return false;
  }
  return want.length === got.length;
}

function split(path: string): string[] {
  return path.split("/").filter((s) => s.length > 0);
}

/**
 * The first row matching the method and path. Rows with a variant only match when the route
 * handler names that variant; proxy.ts, which does not read bodies, never does.
 */
export function ruleFor(method: string, pathname: string, variant?: PolicyRule["variant"]): PolicyRule {
  const m = method.toUpperCase();
  const rule = POLICY.find(
    (r) =>
      (r.variant === undefined || r.variant === variant) &&
      (r.methods === ANY || (r.methods as readonly string[]).includes(m)) &&
      matchPattern(r.pattern, pathname),
  );
  // The final "/**" row matches everything; this is unreachable but keeps the type honest.
  if (!rule) throw new Error(`no policy row for ${m} ${pathname}`);
  return rule;
}

export function requiredAccess(method: string, pathname: string, variant?: PolicyRule["variant"]): Access {
  return ruleFor(method, pathname, variant).access;
}

/** True when an actor with `role` (or nobody, for null) may make this request. */
export function allows(access: Access, role: Role | null): boolean {
  if (access === "public") return true;
  return role !== null && hasRole(role, access);
}

export function isApiPath(pathname: string): boolean {
  return pathname === "/api" || pathname.startsWith("/api/");
}
