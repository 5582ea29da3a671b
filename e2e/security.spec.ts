import type { APIRequestContext, APIResponse } from "@playwright/test";
import fc from "fast-check";
import type pg from "pg";
import { spawn } from "node:child_process";
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import path from "node:path";
import { POLICY, requiredAccess, ruleFor, type Access, type Method, type PolicyRule } from "@/lib/auth/policy";
import { rawRequest, type RawAnswer, type RawRequest } from "./fixtures/raw-http";
import {
  SEC_APP_PORT,
  SEC_BASE_URL,
  SEC_METRICS_TOKEN,
  SEC_PUBLIC_URL,
  SEC_STORE_ROLE,
  SEC_STORE_URL,
  SEC_TARGET_ID,
  SEC_USERS,
  SECURITY_SECRETS,
  type SecRole,
} from "./fixtures/security-config";
import {
  bodyArb,
  CHUNKED_BODIES,
  findLeak,
  HOSTILE,
  ODD_METHODS,
  RAW_ENCODED,
  SPECIAL_BODIES,
  SPECIAL_STATUS,
  valueArb,
  type RawBody,
} from "./fixtures/security-fuzz";
import { API_ROUTES, fillPath, pagesOnDisk, routesOnDisk, sampleParam, type ApiRoute } from "./fixtures/security-routes";
import { expect, test as e2eTest, withClient } from "./fixtures/test";

// The security model of docs/SECURITY.md, proved against a running server with built-in
// sign-in (the second webServer of playwright.config.ts, port SEC_APP_PORT): the route × role
// table walked from lib/auth/policy.ts, CSRF refusals, every route fuzzed, secrets scanned in
// responses, pages and the client bundle, security headers, and the loopback rule.

const ROLES: readonly SecRole[] = ["viewer", "responder", "admin"];
const RANK: Record<Access, number> = { public: 0, viewer: 1, responder: 2, admin: 3 };
const ALL_METHODS: readonly Method[] = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"];
const SAME_ORIGIN = { origin: SEC_BASE_URL };
/** The first webServer: sign-in off, loopback only; its target is DATABASE_URL's "default". */
const NONE_PORT = Number(process.env.E2E_APP_PORT ?? 3100);

/** The sign-in server's own store, as its own role (the audit log lives there). */
const test = e2eTest.extend<{ secStore: pg.Client }>({
  secStore: async ({}, use) => withClient(SEC_STORE_URL, use),
});

/** Session cookies ("pgpulse_session=…") per role, signed in once for the whole file. */
const cookies = {} as Record<SecRole, string>;

test.beforeAll(async ({ playwright }) => {
  for (const role of ROLES) {
    // A context of its own: the shared `request` fixture must never hold a session.
    const ctx = await playwright.request.newContext({ baseURL: SEC_BASE_URL });
    const res = await ctx.post("/api/auth/login", { headers: SAME_ORIGIN, data: { name: SEC_USERS[role].name, password: SEC_USERS[role].password } });
    expect(res.status(), `sign-in as ${role}`).toBe(200);
    expect(await res.json()).toMatchObject({ name: SEC_USERS[role].name, role });
    cookies[role] = res.headers()["set-cookie"].split(";")[0];
    await ctx.dispose();
  }
});

const strictest = (a: Access, b: Access): Access => (RANK[a] >= RANK[b] ? a : b);

/** A request to the sign-in server exactly as written (see fixtures/raw-http.ts), as `role`. */
function raw(r: Omit<RawRequest, "port"> & { role?: SecRole | null }): Promise<RawAnswer> {
  const headers = { ...SAME_ORIGIN, ...(r.role ? { cookie: cookies[r.role] } : {}), ...r.headers };
  return rawRequest({ port: SEC_APP_PORT, ...r, headers });
}

function send(request: APIRequestContext, method: string, url: string, opts: { role?: SecRole | null; headers?: Record<string, string>; body?: RawBody | object } = {}): Promise<APIResponse> {
  const headers: Record<string, string> = { ...SAME_ORIGIN, ...(opts.role ? { cookie: cookies[opts.role] } : {}), ...opts.headers };
  let data: string | Buffer | undefined;
  if (opts.body && "kind" in opts.body && "text" in opts.body) {
    const raw = opts.body as RawBody;
    if (raw.contentType) headers["content-type"] = raw.contentType;
    data = Buffer.from(raw.text);
  } else if (opts.body) {
    headers["content-type"] = "application/json";
    data = JSON.stringify(opts.body);
  }
  return request.fetch(SEC_BASE_URL + url, { method, headers, data, maxRedirects: 0, failOnStatusCode: false, timeout: 30_000 });
}

// ---------------------------------------------------------------------------------------------
// 1. Route × role: every POLICY row, each method that reaches it, four callers.

function methodsReaching(rule: PolicyRule): Method[] {
  const listed = rule.methods === "*" ? ALL_METHODS : rule.methods;
  return listed.filter((m) => ruleFor(m, rule.example, rule.variant) === rule);
}

function walkBody(rule: PolicyRule, method: Method): object | undefined {
  if (method === "GET" || method === "HEAD" || method === "OPTIONS") return undefined;
  // The explain routes decide between the two rows from the body.
  if (rule.example.endsWith("/explain")) return { query: "SELECT 1", analyze: rule.variant === "analyze" };
  return {};
}

for (const [i, rule] of POLICY.entries()) {
  const methods = methodsReaching(rule);
  const title = `role walk ${String(i).padStart(2, "0")}: ${rule.methods === "*" ? "any" : rule.methods.join(",")} ${rule.pattern}${rule.variant ? ` (${rule.variant})` : ""} → ${rule.access}`;
  test(title, async ({ request }) => {
    expect(methods.length, `the example ${rule.example} reaches no method of this row: fix its example`).toBeGreaterThan(0);
    const api = rule.example.startsWith("/api/");
    for (const method of methods) {
      // The proxy, which does not read bodies, applies the plain row; the handler the variant.
      const need = strictest(rule.access, requiredAccess(method, rule.example));
      for (const role of [null, ...ROLES] as const) {
        const where = `${method} ${rule.example} as ${role ?? "no session"} (needs ${need})`;
        const res = await send(request, method, rule.example, { role, body: walkBody(rule, method) });
        const status = res.status();
        expect(status, `${where}: never a 5xx`).toBeLessThan(500);
        if (need === "public" || (role !== null && RANK[role] >= RANK[need])) {
          expect([401, 403], `${where}: must pass auth, got ${status} ${await res.text()}`).not.toContain(status);
        } else if (role === null) {
          if (!api && (method === "GET" || method === "HEAD")) {
            expect(status, where).toBe(307);
            expect(res.headers()["location"], where).toMatch(/^\/login\?next=/);
          } else {
            expect(status, where).toBe(401);
            if (api && method !== "HEAD") expect(await res.json(), where).toMatchObject({ code: "unauthenticated" });
          }
        } else {
          expect(status, where).toBe(403);
          if (api && method !== "HEAD") expect(await res.json(), where).toMatchObject({ code: "forbidden" });
        }
      }
    }
  });
}

test("sign-in: cookie flags, one message for a wrong password and an unknown user, role from the session", async ({ playwright, request, secStore }) => {
  const ctx = await playwright.request.newContext({ baseURL: SEC_BASE_URL });
  const ok = await ctx.post("/api/auth/login", { headers: SAME_ORIGIN, data: { name: SEC_USERS.viewer.name, password: SEC_USERS.viewer.password } });
  const cookie = ok.headers()["set-cookie"];
  expect(cookie).toMatch(/^pgpulse_session=[^;]+;/);
  expect(cookie).toMatch(/HttpOnly/i);
  expect(cookie).toMatch(/SameSite=Lax/i);
  expect(cookie).toMatch(/Max-Age=3600/i);
  // Plain http here: a Secure cookie would never come back.
  expect(cookie).not.toMatch(/Secure/i);
  await ctx.dispose();

  // The sign-in is in the audit log, with who and from where.
  const { rows } = await secStore.query(
    "SELECT actor, role, source_address FROM pgpulse.audit_log WHERE action = 'auth.sign_in' AND actor = $1 ORDER BY at DESC LIMIT 1",
    [SEC_USERS.viewer.name],
  );
  expect(rows[0]).toMatchObject({ actor: SEC_USERS.viewer.name, role: "viewer" });
  expect(rows[0].source_address).toMatch(/127\.0\.0\.1/);

  const wrong = await send(request, "POST", "/api/auth/login", { body: { name: SEC_USERS.admin.name, password: "not-the-password" } });
  const unknown = await send(request, "POST", "/api/auth/login", { body: { name: "nobody-here", password: "not-the-password" } });
  expect(wrong.status()).toBe(401);
  expect(unknown.status()).toBe(401);
  expect(await wrong.json()).toEqual(await unknown.json());
  expect(wrong.headers()["set-cookie"]).toBeUndefined();

  // A forged or tampered cookie is no session.
  const tampered = cookies.admin.slice(0, -2) + (cookies.admin.endsWith("A") ? "BB" : "AA");
  const me = await send(request, "GET", "/api/auth/me", { headers: { cookie: tampered } });
  expect(me.status()).toBe(401);
  const viewerMe = await send(request, "GET", "/api/auth/me", { role: "viewer" });
  expect(await viewerMe.json()).toEqual({ name: SEC_USERS.viewer.name, role: "viewer", authMode: "builtin" });
});

test("metrics bearer token: accepted on /api/metrics only", async ({ request }) => {
  const bearer = { authorization: `Bearer ${SEC_METRICS_TOKEN}` };
  expect([401, 403]).not.toContain((await send(request, "GET", "/api/metrics", { headers: bearer })).status());
  expect((await send(request, "GET", "/api/metrics", { headers: { authorization: `Bearer ${SEC_METRICS_TOKEN}x` } })).status()).toBe(401);
  expect((await send(request, "GET", "/api/targets", { headers: bearer })).status()).toBe(401);
});

// ---------------------------------------------------------------------------------------------
// 2. CSRF: a state-changing request must prove it comes from our own pages.

test("CSRF: writes without Origin or with a foreign Origin are refused even for an admin", async ({ request }) => {
  const writes: Array<[string, string]> = [
    ["POST", "/api/silences"],
    ["DELETE", "/api/silences/1"],
    ["POST", "/api/alerts/1/ack"],
    ["POST", `/api/targets/${SEC_TARGET_ID}/sessions/1/cancel`],
    ["POST", `/api/channels/ops-hook/test`],
    ["POST", "/api/auth/login"],
  ];
  const refusals: Array<[string, Record<string, string>]> = [
    ["no Origin", { origin: "" }],
    ["foreign Origin", { origin: "https://evil.example" }],
    ["same host, other port", { origin: `http://127.0.0.1:${SEC_APP_PORT + 1}` }],
    ["Origin null", { origin: "null" }],
    ["no Origin, cross-site fetch", { origin: "", "sec-fetch-site": "cross-site" }],
  ];
  for (const [method, url] of writes) {
    for (const [label, headers] of refusals) {
      // An empty Origin header is not sent at all by Playwright: that is the "no Origin" case.
      const h = Object.fromEntries(Object.entries(headers).filter(([, v]) => v !== ""));
      const res = await request.fetch(SEC_BASE_URL + url, {
        method,
        headers: { cookie: cookies.admin, "content-type": "application/json", ...h },
        data: "{}",
        maxRedirects: 0,
        failOnStatusCode: false,
      });
      expect(res.status(), `${method} ${url} with ${label}`).toBe(403);
      expect((await res.json()).error, `${method} ${url} with ${label}`).toBe("cross-origin request refused");
    }
    // The right Origin passes the check (the handler may still refuse the empty body).
    const ok = await send(request, method, url, { role: "admin", body: url.endsWith("/login") ? { name: "x", password: "" } : {} });
    expect([401, 403], `${method} ${url} with our Origin: ${await ok.text()}`).not.toContain(ok.status());
  }
  // Without Origin, the browser's own Sec-Fetch-Site: same-origin is proof enough.
  const sameSite = await request.fetch(`${SEC_BASE_URL}/api/silences`, {
    method: "POST",
    headers: { cookie: cookies.admin, "content-type": "application/json", "sec-fetch-site": "same-origin" },
    data: "{}",
    failOnStatusCode: false,
  });
  expect(sameSite.status()).toBe(400);
});

test("CSRF: an Origin with the other scheme is another site", async () => {
  // This server speaks plain http: a page served from https://127.0.0.1:PORT is not ours.
  for (const url of ["/api/silences", "/api/auth/login", "/api/auth/logout"]) {
    const res = await raw({ method: "POST", path: url, role: "admin", headers: { origin: SEC_BASE_URL.replace("http:", "https:"), "content-type": "application/json" }, body: "{}" });
    expect(res.status, `POST ${url}`).toBe(403);
    expect(JSON.parse(res.text).error, `POST ${url}`).toBe("cross-origin request refused");
  }
});

// ---------------------------------------------------------------------------------------------
// 3. Fuzzing: hostile and random values at every route's path, query and body.

test("every API route is listed for fuzzing", () => {
  const listed = API_ROUTES.map((r) => `${r.method} ${r.path}`).sort();
  expect(listed).toEqual(routesOnDisk());
});

function checkAnswer(where: string, status: number, text: string): void {
  expect(status, `${where}: never a 5xx (${text.slice(0, 300)})`).toBeLessThan(500);
  expect(findLeak(text, { error: status >= 400 }), `${where}: leaks server internals`).toBeNull();
  for (const s of SECURITY_SECRETS) expect(text.includes(s.value), `${where}: contains the ${s.label}`).toBe(false);
  if (status >= 400 && text.startsWith("{")) expect(typeof JSON.parse(text).error, `${where}: error body`).toBe("string");
}

// Lone surrogates cannot be percent-encoded; the server sees U+FFFD for them anyway.
const wellFormed = (s: string) => s.replace(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, "\uFFFD");

function pathArb(route: ApiRoute): fc.Arbitrary<string> {
  const names = [...route.path.matchAll(/\[([^\]]+)\]/g)].map((m) => m[1]);
  const arbs = names.map((name) => {
    const before = route.path.split("/")[route.path.split("/").indexOf(`[${name}]`) - 1];
    const sample = sampleParam(name, before, SEC_TARGET_ID);
    // A pid is never random: a real backend must not be signalled by chance.
    const hostile = name === "pid" ? fc.constantFrom(...HOSTILE.filter((h) => !/^-?\d+$/.test(h)), "0", "-1", "2147483648") : valueArb;
    return fc.oneof({ weight: 2, arbitrary: fc.constant(sample) }, { weight: 3, arbitrary: hostile });
  });
  return fc.tuple(...arbs).map((values) => {
    let k = 0;
    return fillPath(route.path, () => wellFormed(values[k++]));
  });
}

function queryArb(route: ApiRoute): fc.Arbitrary<string> {
  const names = [...(route.query ?? []), "unknown"];
  return fc
    .record(Object.fromEntries(names.map((n) => [n, fc.array(valueArb, { minLength: 1, maxLength: 2 })])), { requiredKeys: [] })
    .map((rec) => {
      const p = new URLSearchParams();
      for (const [k, vs] of Object.entries(rec)) for (const v of vs as string[]) p.append(k, wellFormed(v));
      return p.toString();
    });
}

test("fuzz: every route answers hostile input with a 4xx, never a 5xx, stack or SQL", async ({ request }) => {
  test.setTimeout(120_000);
  const runs = Number(process.env.E2E_FUZZ_RUNS ?? 18);
  for (const route of API_ROUTES) {
    const label = `${route.method} ${route.path}`;
    const bodyFields = route.body ?? [];
    const arb = fc.record({
      path: pathArb(route),
      query: queryArb(route),
      body: route.method === "GET" ? fc.constant(undefined) : bodyArb(bodyFields.length ? bodyFields : ["x"]),
    });
    await fc.assert(
      fc.asyncProperty(arb, async ({ path: url, query, body }) => {
        const res = await send(request, route.method, `${url}${query ? `?${query}` : ""}`, { role: "admin", body });
        checkAnswer(`${label} ${url}?${query.slice(0, 200)} body=${body?.kind ?? "-"}`, res.status(), await res.text());
      }),
      { numRuns: runs, interruptAfterTimeLimit: 20_000, markInterruptAsFailure: false },
    );
  }

  // Fixed cases, each sure to be invalid: the exact status is part of the contract.
  const jsonRoutes = API_ROUTES.filter((r) => r.body && r.path !== "/api/auth/login");
  for (const route of jsonRoutes) {
    const url = fillPath(route.path, (name, before) => sampleParam(name, before, SEC_TARGET_ID));
    for (const body of SPECIAL_BODIES) {
      const res = await send(request, route.method, url, { role: "admin", body });
      const text = await res.text();
      checkAnswer(`${route.method} ${url} ${body.kind}`, res.status(), text);
      const want = SPECIAL_STATUS[body.kind];
      const where = `${route.method} ${url} with ${body.kind}: ${text.slice(0, 200)}`;
      if (want === "4xx") expect(Math.floor(res.status() / 100), where).toBe(4);
      else expect(res.status(), where).toBe(want);
    }
  }
  for (const body of SPECIAL_BODIES) {
    const res = await send(request, "POST", "/api/auth/login", { body });
    checkAnswer(`login ${body.kind}`, res.status(), await res.text());
    expect(res.status(), `login with ${body.kind}`).toBeGreaterThanOrEqual(400);
  }
  // Unknown targets and impossible ranges on every target route.
  for (const route of API_ROUTES.filter((r) => r.path.startsWith("/api/targets/[id]") && r.method === "GET")) {
    for (const target of ["no-such-target", "../../etc/passwd", "DEMO", "demo'--"]) {
      const url = fillPath(route.path, (name, before) => (name === "id" ? target : sampleParam(name, before, SEC_TARGET_ID)));
      const res = await send(request, "GET", url, { role: "admin" });
      checkAnswer(`GET ${url}`, res.status(), await res.text());
      expect(res.status(), `GET ${url}`).toBe(404);
    }
    const url = fillPath(route.path, (name, before) => sampleParam(name, before, SEC_TARGET_ID));
    for (const q of ["from=2026-01-02T00:00:00Z&to=2026-01-01T00:00:00Z", "from=-271821-04-20T00:00:00.000Z&to=-271821-04-20T00:00:00.001Z", "from=not-a-date&to=2026-01-01"]) {
      if (!route.query?.includes("from")) continue;
      const res = await send(request, "GET", `${url}?${q}&metric=tps&schema=public&table=users`, { role: "admin" });
      checkAnswer(`GET ${url}?${q}`, res.status(), await res.text());
      expect(res.status(), `GET ${url}?${q}`).toBe(400);
    }
  }

  for (const base of [SEC_BASE_URL, `http://127.0.0.1:${Number(process.env.E2E_APP_PORT ?? 3100)}`]) {
    const health = await request.get(`${base}/api/health`);
    expect(health.status(), `${base} still alive after the fuzzing`).toBe(200);
  }
});

test("fuzz: raw encodings, odd methods and chunked bodies at every route: never a 5xx", async () => {
  test.setTimeout(180_000);
  let sent = 0;
  const check = (where: string, a: RawAnswer) => {
    sent++;
    checkAnswer(where, a.status, a.text);
  };
  for (const route of API_ROUTES) {
    const body = route.method === "GET" ? {} : { headers: { "content-type": "application/json" }, body: "{}" };
    const sample = (name: string, before: string) => sampleParam(name, before, SEC_TARGET_ID);
    const paths: string[] = [];
    // "RAW" survives encodeURIComponent unchanged; the raw value replaces it afterwards.
    for (const name of [...route.path.matchAll(/\[([^\]]+)\]/g)].map((m) => m[1])) {
      const template = fillPath(route.path, (n, before) => (n === name ? "RAW" : sample(n, before)));
      for (const v of RAW_ENCODED) paths.push(template.replace("RAW", v));
    }
    const url = fillPath(route.path, sample);
    for (const q of route.query ?? []) for (const v of RAW_ENCODED) paths.push(`${url}?${q}=${v}`);
    for (const path of paths) check(`${route.method} ${path}`, await raw({ method: route.method, path, role: "admin", ...body }));
    for (const method of ODD_METHODS) check(`${method} ${url}`, await raw({ method, path: url, role: "admin" }));
    if (route.method === "GET") continue;
    for (const chunked of CHUNKED_BODIES) {
      check(`${route.method} ${url} ${chunked.kind}`, await raw({ method: route.method, path: url, role: "admin", headers: { "content-type": "application/json" }, chunked }));
    }
  }
  expect(sent).toBeGreaterThan(400);
  for (const port of [SEC_APP_PORT, NONE_PORT]) expect((await rawRequest({ port, path: "/api/health" })).status, `${port} still alive`).toBe(200);
});

test("bad input: the exact 4xx for NUL, invalid UTF-8, odd methods, odd pids and a 5 MB chunked body", async () => {
  const now = Date.now();
  const range = `from=${new Date(now - 3_600_000).toISOString()}&to=${new Date(now).toISOString()}`;
  const t = `/api/targets/${SEC_TARGET_ID}`;
  const named: Array<[string, string]> = [
    [`${t}/series?metric=tps&${range}&database=kundli%00db`, "database"],
    [`${t}/tables/history?schema=pub%00lic&table=users&${range}`, "schema"],
    [`${t}/tables/history?schema=public&table=us%00ers&${range}`, "table"],
    ["/api/alerts?target=de%00mo", "target"],
    ["/api/trends?target=de%00mo", "target"],
    // Path segments: Next would fail to decode these (500); the proxy names the path instead.
    ["/api/targets/%FF/activity", "path"],
    ["/api/targets/%C3%28/activity", "path"],
    ["/api/alerts/%C0%AF", "path"],
    [`/api/targets/${SEC_TARGET_ID}%00/activity`, "path"],
  ];
  for (const [path, param] of named) {
    const a = await raw({ path, role: "admin" });
    expect(a.status, `${path}: ${a.text}`).toBe(400);
    expect(JSON.parse(a.text).param, path).toBe(param);
  }
  const json = { "content-type": "application/json" };
  const silence = { matchers: { target: "de\u0000mo" }, endsAt: new Date(now + 3_600_000).toISOString(), reason: "x" };
  for (const [path, body, param] of [
    ["/api/silences", silence, "matchers.target"],
    ["/api/alerts/1/ack", { comment: "a\u0000b" }, "comment"],
    [`${t}/explain`, { fingerprint: "0123456789abcde\u0000" }, "fingerprint"],
  ] as const) {
    const a = await raw({ method: "POST", path, role: "admin", headers: json, body: JSON.stringify(body) });
    expect(a.status, `${path}: ${a.text}`).toBe(400);
    expect(JSON.parse(a.text).param, path).toBe(param);
  }

  // A pid is plain decimal digits: nothing Number() would also read as a number.
  for (const pid of ["1e3", "0x10", "%2012", "+12", "012", "12.0", "0", "-1", "2147483648"]) {
    const a = await raw({ method: "POST", path: `${t}/sessions/${pid}/cancel`, role: "admin" });
    expect(a.status, `pid ${pid}: ${a.text}`).toBe(400);
    expect(JSON.parse(a.text).param, `pid ${pid}`).toBe("pid");
  }

  // Methods pgpulse does not serve: 405 with Allow, on API paths and pages, with our headers.
  for (const path of ["/api/targets", "/", "/login"]) {
    for (const method of ["TRACE", "PROPFIND"]) {
      const a = await raw({ method, path, role: "admin" });
      expect(a.status, `${method} ${path}`).toBe(405);
      expect(a.headers["allow"], `${method} ${path}`).toBe("GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS");
      expect(a.headers["x-content-type-options"], `${method} ${path}`).toBe("nosniff");
      expect(a.headers["cache-control"], `${method} ${path}`).toBe("no-store");
      expect(a.headers["content-security-policy"], `${method} ${path}`).toBe("default-src 'none'; frame-ancestors 'none'");
    }
  }

  // A chunked body (no Content-Length) past the limit: 413, for the JSON API and for sign-in.
  for (const [path, limit] of [["/api/silences", 65536], ["/api/auth/login", 8192]] as const) {
    const a = await raw({ method: "POST", path, role: "admin", headers: json, chunked: { bytes: 5 * 1024 * 1024 } });
    expect(a.status, `${path}: ${a.text}`).toBe(413);
    expect(JSON.parse(a.text).error, path).toBe(`body larger than ${limit} bytes`);
  }
});

// ---------------------------------------------------------------------------------------------
// 4. No secret leaves the server: API responses, pages, the client bundle.

function expectNoSecret(where: string, text: string, status = 200): void {
  for (const s of SECURITY_SECRETS) expect(text.includes(s.value), `${where} contains the ${s.label}`).toBe(false);
  expect(findLeak(text, { error: status >= 400 }), where).toBeNull();
}

test("secret scan: every GET API response and every page, as admin", async ({ request }) => {
  const now = Date.now();
  const urls = new Set<string>();
  for (const rule of POLICY) if (rule.example.startsWith("/api/") && methodsReaching(rule).includes("GET")) urls.add(rule.example);
  for (const route of API_ROUTES.filter((r) => r.method === "GET")) {
    const url = fillPath(route.path, (name, before) => sampleParam(name, before, SEC_TARGET_ID));
    const q = route.valid?.(now);
    urls.add(q ? `${url}?${q}` : url);
  }
  let answered = 0;
  for (const url of urls) {
    const res = await send(request, "GET", url, { role: "admin" });
    expect(res.status(), url).toBeLessThan(500);
    if (res.status() === 200) answered++;
    expectNoSecret(`GET ${url}`, JSON.stringify(res.headers()) + (await res.text()), res.status());
  }
  // This server's own store sessions (a role only it uses, on the target's server) are not shown
  // as the target's activity. Own sessions are known by backend pid, not by name, so the other
  // e2e server's sessions on the same PostgreSQL are rightly listed: only this role is ours alone.
  const activity = (await (await send(request, "GET", `/api/targets/${SEC_TARGET_ID}/activity`, { role: "admin" })).json()) as {
    sessions: Array<{ user: string | null }>;
  };
  expect(activity.sessions.length).toBeGreaterThan(0);
  expect(activity.sessions.filter((s) => s.user === SEC_STORE_ROLE)).toEqual([]);
  // Most of them must really answer, or the scan proves nothing.
  expect(answered).toBeGreaterThanOrEqual(urls.size - 6);

  const pages = ["/login", ...pagesOnDisk(SEC_TARGET_ID)];
  for (const url of pages) {
    const res = await send(request, "GET", url, { role: "admin" });
    expect(res.status(), url).toBeLessThan(500);
    const html = await res.text();
    if (url !== "/alerts/1") expect(html, url).toContain("</html>");
    expectNoSecret(`page ${url}`, html, res.status());
  }
  // The sign-in page as a stranger sees it.
  expectNoSecret("login page (no session)", await (await send(request, "GET", "/login")).text());
});

test("secret scan: every file of the built client bundle", () => {
  const files: string[] = [];
  const walk = (dir: string) => {
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, e.name);
      if (e.isDirectory()) walk(full);
      else files.push(full);
    }
  };
  walk(".next/static");
  expect(files.length).toBeGreaterThan(5);
  let bytes = 0;
  for (const f of files) {
    const text = readFileSync(f, "latin1");
    bytes += text.length;
    for (const s of SECURITY_SECRETS) expect(text.includes(s.value), `${f} contains the ${s.label}`).toBe(false);
    expect(/postgres(?:ql)?:\/\/[^:/\s"']+:[^@\s"']+@/.test(text), `${f} contains a connection string with a password`).toBe(false);
  }
  expect(bytes).toBeGreaterThan(100_000);
});

test("health: an anonymous caller gets the status only; a viewer the details", async () => {
  const anonymous = await raw({ path: "/api/health" });
  expect(anonymous.status).toBe(200);
  expect(Object.keys(JSON.parse(anonymous.text))).toEqual(["status"]);
  const viewer = JSON.parse((await raw({ path: "/api/health", role: "viewer" })).text);
  expect(viewer.targets.map((x: { id: string; name: string }) => [x.id, x.name])).toEqual([[SEC_TARGET_ID, "kundli_db"]]);
  expect(viewer.version).toEqual(expect.any(String));
  // Sign-in off on loopback: the local user is admin and sees everything.
  const local = JSON.parse((await rawRequest({ port: NONE_PORT, path: "/api/health" })).text);
  expect(local.targets.length).toBe(1);
});

// ---------------------------------------------------------------------------------------------
// 5. Security headers.

test("security headers on pages and API responses; no HSTS over plain http", async ({ request }) => {
  const page = await send(request, "GET", "/", { role: "admin", headers: { "x-forwarded-proto": "https" } });
  expect(page.status()).toBe(200);
  const h = page.headers();
  const csp = h["content-security-policy"];
  expect(csp).toBeTruthy();
  expect(csp).not.toContain("unsafe-eval");
  expect(csp).toContain("frame-ancestors 'none'");
  expect(csp).toContain("object-src 'none'");
  const nonce = /'nonce-([^']+)'/.exec(csp)?.[1];
  expect(nonce, "script-src carries a per-request nonce").toBeTruthy();
  // Every script the page ships is allowed by that nonce (else the page would not hydrate).
  const html = await page.text();
  const scripts = html.match(/<script\b[^>]*>/g) ?? [];
  expect(scripts.length).toBeGreaterThan(0);
  for (const s of scripts) expect(s, "script without the nonce").toContain(`nonce="${nonce}"`);
  const again = await send(request, "GET", "/", { role: "admin" });
  expect(/'nonce-([^']+)'/.exec(again.headers()["content-security-policy"])?.[1]).not.toBe(nonce);

  const api = await send(request, "GET", "/api/targets", { role: "admin" });
  const denied = await send(request, "GET", "/api/targets");
  const login = await send(request, "GET", "/login");
  for (const [label, res] of [["page", page], ["api", api], ["401", denied], ["login", login]] as const) {
    const hh = res.headers();
    expect(hh["x-content-type-options"], label).toBe("nosniff");
    expect(hh["referrer-policy"], label).toBe("same-origin");
    expect(hh["x-frame-options"], label).toBe("DENY");
    expect(hh["content-security-policy"] ?? "(none)", label).toContain("frame-ancestors 'none'");
    // X-Forwarded-Proto from an untrusted peer must not switch HSTS on.
    expect(hh["strict-transport-security"], label).toBeUndefined();
    expect(hh["x-powered-by"], label).toBeUndefined();
  }
  expect(api.headers()["content-security-policy"]).toBe("default-src 'none'; frame-ancestors 'none'");
});

test("no-store and the API headers on every API answer: success, refusals, errors, Next's own", async () => {
  const answers: Array<[string, RawAnswer]> = [
    ["200", await raw({ path: "/api/targets", role: "admin" })],
    ["200 health, anonymous", await raw({ path: "/api/health" })],
    ["401", await raw({ path: "/api/targets" })],
    ["403", await raw({ method: "POST", path: "/api/silences", role: "viewer", headers: { "content-type": "application/json" }, body: "{}" })],
    ["404", await raw({ path: "/api/targets/no-such-target/activity", role: "admin" })],
    ["400 from the handler", await raw({ path: "/api/alerts?state=nope", role: "admin" })],
    ["400 from the proxy", await raw({ path: "/api/targets/%FF/activity", role: "admin" })],
    ["405 from Next", await raw({ method: "PUT", path: "/api/targets", role: "admin" })],
    ["405 from the proxy", await raw({ method: "TRACE", path: "/api/targets", role: "admin" })],
    ["421", await raw({ path: "/api/targets", role: "admin", headers: { host: "rebind.attacker.example" } })],
  ];
  for (const [label, a] of answers) {
    expect(a.status, label).toBe(Number(label.slice(0, 3)));
    expect(a.headers["cache-control"], label).toBe("no-store");
    expect(a.headers["x-content-type-options"], label).toBe("nosniff");
    expect(a.headers["content-security-policy"], label).toBe("default-src 'none'; frame-ancestors 'none'");
  }
});

test("read lane: hot reads answered ahead of Next give Next's answer, headers and refusals", async () => {
  // The lane takes a listed route at its canonical path (lib/server/http/read-lane.ts); with the
  // target id percent-encoded the same route goes through Next, which decodes it. Both must give
  // the same status, body and headers, whoever asks.
  const viaNext = (p: string) => p.replace(`/targets/${SEC_TARGET_ID}/`, `/targets/%${SEC_TARGET_ID.charCodeAt(0).toString(16)}${SEC_TARGET_ID.slice(1)}/`);
  const transport = new Set(["date", "connection", "keep-alive", "transfer-encoding", "content-length", "vary", "content-encoding"]);
  const cases: Array<[string, Omit<RawRequest, "port"> & { role?: SecRole | null }, number]> = [
    ["tables page, viewer", { path: `/api/targets/${SEC_TARGET_ID}/tables?limit=5&sort=size&dir=desc`, role: "viewer" }, 200],
    ["indexes page, admin", { path: `/api/targets/${SEC_TARGET_ID}/indexes?limit=5`, role: "admin" }, 200],
    ["activity, viewer (redacted)", { path: `/api/targets/${SEC_TARGET_ID}/activity`, role: "viewer" }, 200],
    ["no session", { path: `/api/targets/${SEC_TARGET_ID}/activity` }, 401],
    ["rebound host", { path: `/api/targets/${SEC_TARGET_ID}/activity`, role: "admin", headers: { host: `rebind.attacker.example:${SEC_APP_PORT}` } }, 421],
    ["bad parameter", { path: `/api/targets/${SEC_TARGET_ID}/tables?limit=0`, role: "viewer" }, 400],
  ];
  for (const [label, r, status] of cases) {
    // A new sample may land between the two requests: the pair is asked again, not the rule relaxed.
    let pair: [RawAnswer, RawAnswer] | undefined;
    for (let attempt = 0; attempt < 3; attempt++) {
      pair = [await raw(r), await raw({ ...r, path: viaNext(r.path) })];
      if (pair[0].text === pair[1].text) break;
    }
    const [lane, next] = pair!;
    expect([label, lane.status, next.status]).toEqual([label, status, status]);
    expect(lane.text, label).toBe(next.text);
    const names = new Set([...Object.keys(lane.headers), ...Object.keys(next.headers)].filter((n) => !transport.has(n)));
    for (const n of names) expect([label, n, lane.headers[n]]).toEqual([label, n, next.headers[n]]);
  }
  // And the lane did answer them: its own counter in the Prometheus exposition.
  const metrics = (await rawRequest({ port: SEC_APP_PORT, path: "/api/metrics", headers: { authorization: `Bearer ${SEC_METRICS_TOKEN}` } })).text;
  const count = (route: string, status: number) => Number(new RegExp(`^pgpulse_http_read_lane_answers_total\\{route="${route.replace(/[[\]]/g, "\\$&")}",status="${status}"\\} (\\d+)`, "m").exec(metrics)?.[1] ?? 0);
  expect(count("/api/targets/[id]/tables", 200)).toBeGreaterThanOrEqual(1);
  expect(count("/api/targets/[id]/activity", 401)).toBeGreaterThanOrEqual(1);
  expect(count("/api/targets/[id]/activity", 421)).toBeGreaterThanOrEqual(1);
  expect(count("/api/targets/[id]/tables", 400)).toBeGreaterThanOrEqual(1);
});

// ---------------------------------------------------------------------------------------------
// 6. The host rule (DNS rebinding) and where sign-in may send you.

test("host rule: a rebound name gets 421 from the loopback server without sign-in; our names still work", async () => {
  const rebound = `rebind.attacker.example:${NONE_PORT}`;
  const on = (path: string, host: string, extra: Partial<RawRequest> = {}) => rawRequest({ port: NONE_PORT, path, ...extra, headers: { host, ...extra.headers } });
  // What a page on the rebound name can do: read who we are, read live activity, write with its own Origin.
  for (const [label, a] of [
    ["GET /api/auth/me", await on("/api/auth/me", rebound)],
    ["GET activity", await on("/api/targets/default/activity", rebound)],
    ["GET /", await on("/", rebound)],
    ["POST /api/silences", await on("/api/silences", rebound, { method: "POST", headers: { origin: `http://${rebound}`, "content-type": "application/json" }, body: "{}" })],
  ] as const) {
    expect(a.status, label).toBe(421);
    expect(a.text, label).toContain("localhost, 127.0.0.1, [::1], IP addresses and the host of publicUrl");
  }
  for (const host of [`127.0.0.1:${NONE_PORT}`, `localhost:${NONE_PORT}`]) {
    const me = await on("/api/auth/me", host);
    expect(me.status, host).toBe(200);
    expect(JSON.parse(me.text), host).toMatchObject({ name: "local", role: "admin" });
    expect((await on("/api/targets/default/activity", host)).status, host).toBe(200);
  }

  // With sign-in: the publicUrl's host is served, other names are not, whatever the cookie.
  const publicHost = `${new URL(SEC_PUBLIC_URL).hostname}:${SEC_APP_PORT}`;
  expect((await raw({ path: "/api/auth/me", role: "viewer", headers: { host: publicHost } })).status).toBe(200);
  expect((await raw({ path: "/api/auth/me", role: "admin", headers: { host: `rebind.attacker.example:${SEC_APP_PORT}` } })).status).toBe(421);
});

test("sign-in: `next` only ever returns to a path on this origin (form and JSON)", async () => {
  const { name, password } = SEC_USERS.viewer;
  for (const next of ["/.//evil.example/phish", "/x/..//evil.example", "/%2e%2e//evil.example", "//evil.example", "/\\evil.example", "https://evil.example/"]) {
    const form = await raw({
      method: "POST",
      path: "/api/auth/login",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ name, password, next }).toString(),
    });
    expect(form.status, `form next=${next}`).toBe(303);
    const viaJson = await raw({ method: "POST", path: "/api/auth/login", headers: { "content-type": "application/json" }, body: JSON.stringify({ name, password, next }) });
    expect(viaJson.status, `JSON next=${next}`).toBe(200);
    for (const [how, location] of [["form", String(form.headers["location"])], ["JSON", JSON.parse(viaJson.text).next]]) {
      // Resolved as the browser will, the target is here, and its path cannot be read as a host.
      const target = new URL(location, SEC_BASE_URL);
      expect(target.origin, `${how} next=${next} → ${location}`).toBe(SEC_BASE_URL);
      expect(target.pathname, `${how} next=${next} → ${location}`).not.toMatch(/^\/[\/\\]/);
    }
  }
});

// ---------------------------------------------------------------------------------------------
// 7. The loopback rule, on the real build.

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once("error", reject);
    s.listen(0, "127.0.0.1", () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

function startNext(host: string, port: number, configPath: string) {
  // Nothing of the harness's own environment may decide the outcome: no target, no host.
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const k of Object.keys(env)) if (k.startsWith("PGPULSE_") || k === "DATABASE_URL" || k === "HOSTNAME") delete env[k];
  Object.assign(env, {
    PGPULSE_CONFIG: configPath,
    PGPULSE_STORE_URL: SEC_STORE_URL,
    PGPULSE_COLLECTOR: "0",
    PGPULSE_LOG_LEVEL: "warn",
    PGPULSE_DATA_DIR: ".pgpulse/e2e-loopback",
  });
  const child = spawn("node_modules/.bin/next", ["start", "-H", host, "-p", String(port)], { env, stdio: ["ignore", "pipe", "pipe"] });
  let output = "";
  child.stdout.on("data", (d) => (output += d));
  child.stderr.on("data", (d) => (output += d));
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  return { child, exited, output: () => output };
}

test("loopback rule: sign-in off refuses 0.0.0.0 with instructions, starts on 127.0.0.1", async ({ request }) => {
  test.setTimeout(90_000);
  mkdirSync(".pgpulse/e2e", { recursive: true });
  const configPath = path.resolve(".pgpulse/e2e/security-auth-none.json");
  writeFileSync(configPath, JSON.stringify({ auth: { mode: "none" } }));

  const open = startNext("0.0.0.0", await freePort(), configPath);
  const code = await Promise.race([open.exited, new Promise<"timeout">((r) => setTimeout(() => r("timeout"), 45_000))]);
  if (code === "timeout") open.child.kill("SIGKILL");
  expect(code, open.output()).not.toBe("timeout");
  expect(code, open.output()).not.toBe(0);
  expect(open.output()).toContain("pgpulse refuses to start");
  expect(open.output()).toContain("next start -H 127.0.0.1");
  expect(open.output()).toContain('"mode": "builtin"');
  expect(open.output()).toContain("PGPULSE_SESSION_SECRET");

  const port = await freePort();
  const local = startNext("127.0.0.1", port, configPath);
  try {
    await expect
      .poll(async () => (await request.get(`http://127.0.0.1:${port}/api/health`, { failOnStatusCode: false }).catch(() => null))?.status() ?? 0, {
        timeout: 45_000,
        message: local.output(),
      })
      .toBe(200);
    // Sign-in off on loopback: the local user is admin.
    const me = await request.get(`http://127.0.0.1:${port}/api/auth/me`);
    expect(await me.json()).toMatchObject({ name: "local", role: "admin", authMode: "none" });
  } finally {
    local.child.kill("SIGTERM");
    const done = await Promise.race([local.exited, new Promise<"timeout">((r) => setTimeout(() => r("timeout"), 10_000))]);
    if (done === "timeout") local.child.kill("SIGKILL");
  }
});
