import { describe, expect, it } from "vitest";
import { AuthError, authErrorResponse } from "./errors";
import { identify, requestIsTls, sourceAddress } from "./identify";
import { hashPassword } from "./password";
import { installPeerTagging, PEER_HEADER } from "./peer";
import { requiredAccess } from "./policy";
import { checkRequest } from "./require-role";
import { signSession } from "./session";
import { AuthConfigError, buildAuthSettings, type AuthSettings } from "./settings";

installPeerTagging();

const NOW = 1_750_000_000;
const SECRET = "s".repeat(48);
const base = { users: [], sessionTtlSeconds: 3600, trustedProxies: [] as string[] };

const builtin: AuthSettings = buildAuthSettings(
  { ...base, mode: "builtin", users: [{ name: "ana", role: "responder", passwordHash: "scrypt$1024$8$1$c2FsdHNhbHRzYWx0$a2V5a2V5a2V5a2V5a2V5a2V5a2V5a2V5" }] },
  { sessionSecret: SECRET, metricsToken: "m".repeat(32) },
);
const proxied: AuthSettings = buildAuthSettings(
  { ...base, mode: "proxy", proxy: { userHeader: "x-forwarded-user", roleHeader: "x-forwarded-role", defaultRole: "viewer", trustedAddresses: ["10.0.0.0/8"] } },
  {},
);
const none: AuthSettings = buildAuthSettings({ ...base, mode: "none" }, {});

const cookieFor = (name: string, role: "viewer" | "responder" | "admin", now = NOW) =>
  `pgpulse_session=${signSession({ name, role, ttlSeconds: 3600, now }, SECRET)}`;

function req(method: string, path: string, settings: AuthSettings, h: Record<string, string>) {
  const headers = new Headers({ host: "pgpulse.local", [PEER_HEADER]: "192.0.2.10", ...h });
  return () => checkRequest({ method, pathname: path, headers, access: requiredAccess(method, path), settings, now: NOW });
}

function code(fn: () => unknown): string | null {
  try {
    fn();
    return null;
  } catch (e) {
    if (e instanceof AuthError) return e.code;
    throw e;
  }
}

describe("builtin sign-in", () => {
  it("lets a signed-in responder ack but not cancel", () => {
    const cookie = cookieFor("ana", "responder");
    const origin = "http://pgpulse.local";
    expect(req("GET", "/api/targets", builtin, { cookie })()).toEqual({ name: "ana", role: "responder" });
    expect(req("POST", "/api/alerts/1/ack", builtin, { cookie, origin })()).toEqual({ name: "ana", role: "responder" });
    expect(code(req("POST", "/api/targets/p/sessions/9/cancel", builtin, { cookie, origin }))).toBe("forbidden");
  });

  it("takes the role from the config, not from the token", () => {
    // A token minted as admin for a user the config lists as responder grants responder.
    expect(req("GET", "/", builtin, { cookie: cookieFor("ana", "admin") })()).toEqual({ name: "ana", role: "responder" });
    expect(code(req("GET", "/", builtin, { cookie: cookieFor("removed-user", "admin") }))).toBe("unauthenticated");
  });

  it("refuses no cookie, an expired cookie, and a cross-origin write", () => {
    expect(code(req("GET", "/api/targets", builtin, {}))).toBe("unauthenticated");
    expect(code(req("GET", "/api/targets", builtin, { cookie: cookieFor("ana", "responder", NOW - 3600) }))).toBe("unauthenticated");
    expect(code(req("POST", "/api/alerts/1/ack", builtin, { cookie: cookieFor("ana", "responder"), origin: "https://evil.example" }))).toBe("cross-origin");
    expect(code(req("POST", "/api/alerts/1/ack", builtin, { cookie: cookieFor("ana", "responder") }))).toBe("cross-origin");
  });

  it("public routes need no identity but writes still need the origin", () => {
    expect(req("GET", "/api/health", builtin, {})()).toBeNull();
    expect(req("POST", "/api/auth/login", builtin, { origin: "http://pgpulse.local" })()).toBeNull();
    expect(code(req("POST", "/api/auth/login", builtin, { origin: "https://evil.example" }))).toBe("cross-origin");
  });

  it("accepts the metrics bearer token on /api/metrics only", () => {
    const authorization = `Bearer ${"m".repeat(32)}`;
    expect(req("GET", "/api/metrics", builtin, { authorization })()).toEqual({ name: "metrics-scraper", role: "viewer" });
    expect(code(req("GET", "/api/targets", builtin, { authorization }))).toBe("unauthenticated");
    expect(code(req("GET", "/api/metrics", builtin, { authorization: "Bearer wrong" }))).toBe("unauthenticated");
  });
});

describe("trusted proxy header", () => {
  it("believes the headers only from a trusted peer", () => {
    const h = { "x-forwarded-user": "bo", "x-forwarded-role": "admin" };
    expect(req("GET", "/", proxied, { ...h, [PEER_HEADER]: "10.1.2.3" })()).toEqual({ name: "bo", role: "admin" });
    expect(req("GET", "/", proxied, { ...h, [PEER_HEADER]: "::ffff:10.1.2.3" })()).toEqual({ name: "bo", role: "admin" });
    expect(code(req("GET", "/", proxied, { ...h, [PEER_HEADER]: "192.0.2.1" }))).toBe("unauthenticated");
    // A client-supplied X-Forwarded-For naming a trusted address changes nothing.
    expect(code(req("GET", "/", proxied, { ...h, "x-forwarded-for": "10.0.0.1" }))).toBe("unauthenticated");
  });

  it("falls back to the default role and requires a user", () => {
    expect(req("GET", "/", proxied, { [PEER_HEADER]: "10.0.0.1", "x-forwarded-user": "cy", "x-forwarded-role": "root" })()).toEqual({ name: "cy", role: "viewer" });
    expect(code(req("GET", "/", proxied, { [PEER_HEADER]: "10.0.0.1" }))).toBe("unauthenticated");
  });
});

describe("auth off", () => {
  it("makes loopback callers the local admin and refuses everyone else", () => {
    expect(req("POST", "/api/targets/p/sessions/1/terminate", none, { [PEER_HEADER]: "127.0.0.1", origin: "http://pgpulse.local" })()).toEqual({ name: "local", role: "admin" });
    expect(req("GET", "/", none, { [PEER_HEADER]: "::1" })()).toEqual({ name: "local", role: "admin" });
    expect(code(req("GET", "/", none, { [PEER_HEADER]: "10.0.0.9" }))).toBe("loopback-only");
  });

  it("fails closed without a peer address", () => {
    const headers = new Headers({ host: "x" });
    expect(identify(headers, none, { now: NOW })).toEqual({ actor: null, reason: "no-peer" });
  });
});

describe("request facts", () => {
  it("trusts X-Forwarded-Proto and -For only from a trusted proxy", () => {
    const fromProxy = new Headers({ [PEER_HEADER]: "10.0.0.2", "x-forwarded-proto": "https", "x-forwarded-for": "203.0.113.7, 10.0.0.3" });
    expect(requestIsTls(fromProxy, proxied)).toBe(true);
    expect(sourceAddress(fromProxy, proxied)).toBe("203.0.113.7");
    const direct = new Headers({ [PEER_HEADER]: "198.51.100.1", "x-forwarded-proto": "https", "x-forwarded-for": "203.0.113.7" });
    expect(requestIsTls(direct, proxied)).toBe(false);
    expect(sourceAddress(direct, proxied)).toBe("198.51.100.1");
  });
});

describe("settings validation", () => {
  it("refuses builtin without a session secret, saying how to set it", () => {
    expect(() => buildAuthSettings({ ...base, mode: "builtin", users: builtin.users }, {})).toThrow(AuthConfigError);
    expect(() => buildAuthSettings({ ...base, mode: "builtin", users: builtin.users }, {})).toThrow(/PGPULSE_SESSION_SECRET is not set[\s\S]*randomBytes/);
  });

  it("refuses bad hashes, no users, proxy mode without a proxy section, bad CIDRs", async () => {
    const good = await hashPassword("pw", { N: 1024, r: 8, p: 1 });
    expect(() => buildAuthSettings({ ...base, mode: "builtin", users: [{ name: "a", role: "viewer", passwordHash: "plain" }] }, { sessionSecret: SECRET })).toThrow(/"a": passwordHash/);
    expect(() => buildAuthSettings({ ...base, mode: "builtin" }, { sessionSecret: SECRET })).toThrow(/users is empty/);
    expect(() => buildAuthSettings({ ...base, mode: "proxy" }, {})).toThrow(/auth.proxy is missing/);
    expect(() => buildAuthSettings({ ...base, mode: "none", trustedProxies: ["10.0.0.0/40"] }, {})).toThrow(/bad prefix/);
    expect(buildAuthSettings({ ...base, mode: "builtin", users: [{ name: "a", role: "viewer", passwordHash: good }] }, { sessionSecret: SECRET }).mode).toBe("builtin");
  });

  it("maps AuthError to a JSON response", async () => {
    const res = authErrorResponse(new AuthError("forbidden", "admin"));
    expect(res?.status).toBe(403);
    expect(await res?.json()).toEqual({ error: "your role does not allow this", code: "forbidden", required: "admin" });
    expect(authErrorResponse(new Error("x"))).toBeNull();
  });
});
