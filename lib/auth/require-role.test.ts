import { describe, expect, it } from "vitest";
import { AuthError } from "./errors";
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

// The requests below name "pgpulse.local", the host of the configured publicUrl.
const site = { publicUrl: "http://pgpulse.local" };
const builtin: AuthSettings = buildAuthSettings(
  { ...base, mode: "builtin", users: [{ name: "ana", role: "responder", passwordHash: "scrypt$1024$8$1$c2FsdHNhbHRzYWx0$a2V5a2V5a2V5a2V5a2V5a2V5a2V5a2V5" }] },
  { sessionSecret: SECRET, metricsToken: "m".repeat(32) },
  site,
);
const proxied: AuthSettings = buildAuthSettings(
  { ...base, mode: "proxy", proxy: { userHeader: "x-forwarded-user", roleHeader: "x-forwarded-role", defaultRole: "viewer", trustedAddresses: ["10.0.0.0/8"] } },
  {},
  site,
);
const none: AuthSettings = buildAuthSettings({ ...base, mode: "none" }, {}, site);

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
    // A caller who is signed in is named, so a public route may show them more (health details).
    expect(req("GET", "/api/health", builtin, { cookie: cookieFor("ana", "responder") })()).toEqual({ name: "ana", role: "responder" });
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

describe("host rule (DNS rebinding)", () => {
  const rebound = { host: "rebind.attacker.example:3000" };
  const loopback = { [PEER_HEADER]: "127.0.0.1" };

  it("refuses a name that is not ours in every mode, before identity or origin", () => {
    const cookie = cookieFor("ana", "responder");
    expect(code(req("GET", "/api/auth/me", none, { ...loopback, ...rebound }))).toBe("misdirected");
    expect(code(req("GET", "/api/targets/p/activity", builtin, { ...rebound, cookie }))).toBe("misdirected");
    expect(code(req("GET", "/", proxied, { ...rebound, [PEER_HEADER]: "10.0.0.1", "x-forwarded-user": "bo" }))).toBe("misdirected");
    // The rebinding page sends its own (matching) Origin: still refused.
    expect(code(req("POST", "/api/silences", none, { ...loopback, ...rebound, origin: "http://rebind.attacker.example:3000" }))).toBe("misdirected");
    // Public routes too: sign-in and health answer only under our names.
    expect(code(req("GET", "/api/health", builtin, rebound))).toBe("misdirected");
    expect(code(req("POST", "/api/auth/login", builtin, { ...rebound, origin: "http://rebind.attacker.example:3000" }))).toBe("misdirected");
    expect(code(req("GET", "/", none, { ...loopback, host: "" }))).toBe("misdirected");
  });

  it("serves loopback names, IP addresses and the publicUrl host, on any port", () => {
    for (const host of ["localhost:3100", "127.0.0.1:3100", "[::1]:3100", "LOCALHOST", "localhost.:80", "192.0.2.7:8080", "[2001:db8::1]", "pgpulse.local:9999"]) {
      expect(req("GET", "/", none, { ...loopback, host })(), host).toEqual({ name: "local", role: "admin" });
    }
    const noPublicUrl = buildAuthSettings({ ...base, mode: "none" }, {});
    expect(code(req("GET", "/", noPublicUrl, { ...loopback, host: "pgpulse.local" }))).toBe("misdirected");
  });

  it("reads X-Forwarded-Host instead of Host only from a trusted proxy", () => {
    const viaProxy = { [PEER_HEADER]: "10.0.0.1", "x-forwarded-user": "bo", host: "127.0.0.1:3000" };
    expect(req("GET", "/", proxied, { ...viaProxy, "x-forwarded-host": "pgpulse.local" })()).toEqual({ name: "bo", role: "viewer" });
    expect(code(req("GET", "/", proxied, { ...viaProxy, "x-forwarded-host": "rebind.attacker.example" }))).toBe("misdirected");
    // From anyone else the header is ignored: Host decides.
    expect(code(req("GET", "/", builtin, { host: "rebind.attacker.example", "x-forwarded-host": "localhost" }))).toBe("misdirected");
  });

  it("answers 421 with the rule in the message", () => {
    const err = new AuthError("misdirected");
    expect(err.status).toBe(421);
    expect(err.body().error).toMatch(/localhost, 127\.0\.0\.1, \[::1\].*publicUrl/);
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

  it("gives AuthError its status and body", () => {
    const err = new AuthError("forbidden", "admin");
    expect(err.status).toBe(403);
    expect(err.body()).toEqual({ error: "your role does not allow this", code: "forbidden", required: "admin" });
  });
});
