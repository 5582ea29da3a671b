import { mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { METHODS, requiredAccess } from "@/lib/auth/policy";
import { signSession } from "@/lib/auth/session";
import { authSettings } from "@/lib/auth/settings";

// Every route handler checks the caller itself; the proxy is the first wall, not the only one.
// Each exported method of every app/api/**/route.ts is called directly, with no proxy in front,
// under built-in sign-in: a foreign Host must be 421 (the check ran), no session 401 on every
// non-public route, and a viewer 403 wherever the route × role table asks for more.

const SECRET = "route-roles-test-secret-".padEnd(48, "x");
const HASH = "scrypt$1024$8$1$c2FsdHNhbHRzYWx0$a2V5a2V5a2V5a2V5a2V5a2V5a2V5a2V5";
const ORIGIN = "http://127.0.0.1:3000";

type Handler = (req: Request, ctx: { params: Promise<Record<string, string>> }) => Promise<Response>;

function routeFiles(dir = "app/api"): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const full = path.join(dir, e.name);
    if (e.isDirectory()) return routeFiles(full);
    return e.name === "route.ts" ? [full] : [];
  });
}

/** "/api/targets/[id]/sessions/[pid]/[action]" → a concrete URL path and its params. */
function sample(file: string): { url: string; params: Record<string, string> } {
  const params: Record<string, string> = {};
  const url = "/" + path.dirname(path.relative("app", file)).split(path.sep).map((seg) => {
    const m = /^\[(.+)\]$/.exec(seg);
    if (!m) return seg;
    params[m[1]] = m[1] === "action" ? "cancel" : "1";
    return params[m[1]];
  }).join("/");
  return { url, params };
}

let dir: string;

beforeAll(() => {
  dir = mkdtempSync(path.join(tmpdir(), "pgpulse-route-roles-"));
  const config = path.join(dir, "config.json");
  writeFileSync(config, JSON.stringify({ auth: { mode: "builtin", users: [{ name: "vera", role: "viewer", passwordHash: HASH }] } }));
  vi.stubEnv("PGPULSE_CONFIG", config);
  vi.stubEnv("PGPULSE_SESSION_SECRET", SECRET);
  vi.stubEnv("PGPULSE_LOG_LEVEL", "silent");
});

afterAll(() => {
  vi.unstubAllEnvs();
  // The settings are cached per process (lib/auth/settings.ts); other test files must not see ours.
  delete (globalThis as Record<symbol, unknown>)[Symbol.for("pgpulse.authSettings")];
  rmSync(dir, { recursive: true, force: true });
});

describe("every route handler checks its caller", () => {
  it("finds the route files", () => {
    expect(routeFiles().length).toBeGreaterThan(20);
  });

  for (const file of routeFiles()) {
    it(file, async () => {
      expect(authSettings().mode, "this test needs built-in sign-in").toBe("builtin");
      const mod = (await import(path.resolve(file))) as Record<string, unknown>;
      const methods = METHODS.filter((m) => typeof mod[m] === "function");
      expect(methods.length, `${file} exports no handler`).toBeGreaterThan(0);
      const { url, params } = sample(file);
      const viewer = `pgpulse_session=${signSession({ name: "vera", role: "viewer", ttlSeconds: 600, now: Math.floor(Date.now() / 1000) }, SECRET)}`;
      for (const method of methods) {
        const call = (headers: Record<string, string>) =>
          (mod[method] as Handler)(new Request(ORIGIN + url, { method, headers }), { params: Promise.resolve(params) });
        const where = `${method} ${url}`;

        const rebound = await call({ host: "rebind.attacker.example:3000", origin: "http://rebind.attacker.example:3000" });
        expect(rebound.status, `${where} with a foreign Host`).toBe(421);

        const access = requiredAccess(method, url);
        const anonymous = await call({ host: "127.0.0.1:3000", origin: ORIGIN });
        if (access === "public") expect([401, 403, 421], `${where} is public`).not.toContain(anonymous.status);
        else expect(anonymous.status, `${where} without a session (needs ${access})`).toBe(401);

        const asViewer = await call({ host: "127.0.0.1:3000", origin: ORIGIN, cookie: viewer });
        if (access === "public" || access === "viewer") expect([401, 403], `${where} as viewer`).not.toContain(asViewer.status);
        else expect(asViewer.status, `${where} as viewer (needs ${access})`).toBe(403);
      }
    });
  }
});
