import http from "node:http";
import type { AddressInfo } from "node:net";
import { gunzipSync } from "node:zlib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PEER_HEADER } from "@/lib/auth/peer";
import { API_HEADERS, STATIC_HEADERS } from "@/lib/auth/security-headers";
import { compileReadRoutes, installReadLane, matchReadRoute, readLaneListener } from "@/lib/server/http/read-lane";
import { READ_LANE_ROUTES } from "@/lib/server/http/read-lane-routes";
import type { Pgpulse } from "@/lib/server/wiring/compose";
import { SNAPSHOT_ONCE_INTERVALS, snapshotLanded, useRouteTestRuntime } from "@/test/support/route-runtime";
import { until } from "@/test/support/wait";

// The read lane on a real HTTP server in front of a stand-in for Next (a listener that says
// "next"), with pgpulse watching a real PostgreSQL: it answers exactly what the route handler
// answers, with the same headers, runs the gate first, and hands everything else on.

const ID = "lane";
const NEXT_STATUS = 299;
const compiled = compileReadRoutes(READ_LANE_ROUTES);

describe("read lane", () => {
  let rt: Pgpulse;
  let server: http.Server;
  let base: string;
  let host: string;
  const passedOn: string[] = [];
  const observed: Array<[string, number]> = [];

  useRouteTestRuntime(
    {
      id: ID,
      prefix: "lane",
      intervals: SNAPSHOT_ONCE_INTERVALS,
      // Enough tables for a tables answer over the 1 kB compression line.
      prepare: (admin) => admin.query("DO $$ BEGIN FOR i IN 1..30 LOOP EXECUTE format('CREATE TABLE t%s (id int PRIMARY KEY)', i); END LOOP; END $$"),
    },
    (fx) => ({ rt } = fx),
  );

  beforeAll(async () => {
    server = http.createServer((req, res) => {
      passedOn.push(`${req.method} ${req.url}`);
      res.writeHead(NEXT_STATUS).end("next");
    });
    installReadLane(READ_LANE_ROUTES, (route, status) => observed.push([route, status]));
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    const port = (server.address() as AddressInfo).port;
    host = `127.0.0.1:${port}`;
    base = `http://${host}`;
  });
  afterAll(() => new Promise<void>((r) => server.close(() => r())));

  const ready = () => snapshotLanded(rt, ID);

  /** The route handler's own answer to the same request, called directly as Next would. */
  async function direct(path: string): Promise<Response> {
    const { route } = matchReadRoute(compiled, path.split("?")[0])!;
    return route.GET(new Request(`http://${host}${path}`, { headers: { host, [PEER_HEADER]: "127.0.0.1" } }), { params: Promise.resolve({ id: ID }) });
  }

  it("answers each listed route as its handler does, with the security headers, and never asks Next", async () => {
    await until("every snapshot metric landed", ready, 45_000);
    const paths = ["/api/health", `/api/targets/${ID}/activity`, `/api/targets/${ID}/tables?limit=50&sort=size&dir=desc`, `/api/targets/${ID}/indexes?limit=5`, `/api/targets/${ID}/series?metric=tps`, "/api/alerts", "/api/alerts/count", "/api/overview"];
    // Every listed route is exercised here.
    expect(new Set(paths.map((p) => matchReadRoute(compiled, p.split("?")[0])?.route.path)).size).toBe(READ_LANE_ROUTES.length);
    passedOn.length = 0;
    observed.length = 0;
    for (const p of paths) {
      const lane = await fetch(base + p);
      const own = await direct(p);
      expect([p, lane.status]).toEqual([p, own.status]);
      expect(lane.headers.get("content-type"), p).toBe(own.headers.get("content-type"));
      for (const [name, value] of Object.entries({ ...STATIC_HEADERS, ...API_HEADERS })) expect([p, name, lane.headers.get(name)]).toEqual([p, name, value]);
      expect(lane.headers.get("strict-transport-security"), "HSTS only over TLS").toBeNull();
      const laneBody = await lane.text();
      const ownBody = await own.text();
      // Table, index and session answers are one build per snapshot: byte for byte the same.
      // (Health, series, alerts and the overview move with the 1-s server probe.)
      if (/activity|tables|indexes/.test(p)) expect(laneBody, p).toBe(ownBody);
      else expect(Object.keys(JSON.parse(laneBody)).sort(), p).toEqual(Object.keys(JSON.parse(ownBody)).sort());
    }
    expect(passedOn).toEqual([]);
    expect(observed.map(([route]) => route).sort()).toEqual(READ_LANE_ROUTES.map((r) => r.path).sort());
    expect(observed.every(([, status]) => status === 200)).toBe(true);
  }, 90_000);

  it("answers a bad parameter with the route's own 400 naming it, and an unknown target 404", async () => {
    const bad = await fetch(`${base}/api/targets/${ID}/tables?limit=0`);
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { param?: string }).param).toBe("limit");
    const missing = await fetch(`${base}/api/targets/nosuch/activity`);
    expect(missing.status).toBe(404);
    expect(missing.headers.get("cache-control")).toBe("no-store");
  });

  it("runs the gate before the handler: another host name is refused 421 and no handler runs", async () => {
    // A route of its own (the installed lane, in front of every server of the process, does
    // not list it), so the spy sees every call that gets past the gate.
    let called = 0;
    const spy = http.createServer(
      readLaneListener([{ path: "/api/spy/[id]", GET: async () => (called++, new Response("{}")) }], (_req, res) => res.writeHead(NEXT_STATUS).end()),
    );
    await new Promise<void>((r) => spy.listen(0, "127.0.0.1", r));
    try {
      const port = (spy.address() as AddressInfo).port;
      const refused = await rawGet("/api/spy/1", { host: "evil.example" }, "GET", `http://127.0.0.1:${port}`);
      expect(refused.status).toBe(421);
      expect(called).toBe(0);
      const served = await rawGet("/api/spy/1", { host: `127.0.0.1:${port}` }, "GET", `http://127.0.0.1:${port}`);
      expect(served.status).toBe(200);
      expect(called).toBe(1);
    } finally {
      await new Promise<void>((r) => spy.close(() => r()));
    }
  });

  it("refuses another host name with the API headers and counts the refusal", async () => {
    observed.length = 0;
    for (const p of ["/api/health", `/api/targets/${ID}/activity`]) {
      const res = await rawGet(p, { host: "evil.example:80" });
      expect([p, res.status]).toEqual([p, 421]);
      expect(JSON.parse(res.body)).toMatchObject({ code: "misdirected" });
      for (const [name, value] of Object.entries(API_HEADERS)) expect(res.headers[name]).toBe(value);
    }
    expect(observed).toEqual([
      ["/api/health", 421],
      ["/api/targets/[id]/activity", 421],
    ]);
  });

  it("cannot be told who the peer is: a forged peer header is replaced by the socket's address", async () => {
    // Without sign-in pgpulse answers loopback peers only: had the forged address counted, this
    // request would be refused 403 (loopback-only).
    const res = await rawGet(`/api/targets/${ID}/activity`, { host, [PEER_HEADER]: "10.1.2.3" });
    expect(res.status).toBe(200);
  });

  it("hands HEAD, writes, encoded or odd paths and unlisted routes to Next unchanged", async () => {
    passedOn.length = 0;
    const cases: Array<[string, string]> = [
      ["HEAD", "/api/health"],
      ["POST", "/api/alerts"],
      ["GET", `/api/targets/%6Cane/activity`],
      ["GET", "/api/health/"],
      ["GET", "//api/health"],
      ["GET", `/api/targets/${ID}/replication`],
      ["GET", "/"],
    ];
    for (const [method, p] of cases) {
      const res = await rawGet(p, { host }, method);
      expect([method, p, res.status]).toEqual([method, p, NEXT_STATUS]);
    }
    expect(passedOn).toEqual(cases.map(([m, p]) => `${m} ${p}`));
  });

  it("compresses answers over 1 kB for a client that accepts gzip, and only then", async () => {
    const p = `/api/targets/${ID}/tables?limit=50`;
    const plain = await rawGet(p, { host });
    expect(plain.raw.length).toBeGreaterThan(1024);
    expect(plain.headers["content-encoding"]).toBeUndefined();
    expect(plain.headers.vary).toBe("Accept-Encoding");
    const zipped = await rawGet(p, { host, "accept-encoding": "gzip, deflate, br" });
    expect(zipped.headers["content-encoding"]).toBe("gzip");
    expect(Number(zipped.headers["content-length"])).toBe(zipped.raw.length);
    expect(gunzipSync(zipped.raw).toString()).toBe(plain.body);
    const refused = await rawGet(p, { host, "accept-encoding": "gzip;q=0" });
    expect(refused.headers["content-encoding"]).toBeUndefined();
    const small = await rawGet("/api/alerts/count", { host, "accept-encoding": "gzip" });
    expect(small.headers["content-encoding"]).toBeUndefined();
  });

  /** node:http, not fetch: sends exactly these headers (fetch would add its own Accept-Encoding). */
  function rawGet(p: string, headers: Record<string, string>, method = "GET", origin = base): Promise<{ status: number; headers: http.IncomingHttpHeaders; raw: Buffer; body: string }> {
    return new Promise((resolve, reject) => {
      const req = http.request(`${origin}${p}`, { method, headers, setHost: false }, (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (c: Buffer) => chunks.push(c));
        res.on("end", () => {
          const raw = Buffer.concat(chunks);
          resolve({ status: res.statusCode!, headers: res.headers, raw, body: raw.toString() });
        });
      });
      req.on("error", reject);
      req.end();
    });
  }
});
