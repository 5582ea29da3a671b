import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { GET as activityGET } from "@/app/api/targets/[id]/activity/route";
import { POST as sessionPOST } from "@/app/api/targets/[id]/sessions/[pid]/[action]/route";
import { GET as slowGET } from "@/app/api/targets/[id]/slow-queries/route";
import type { ActivityResponse, BlockerNode } from "@/lib/api/activity";
import type { SlowQueriesResponse } from "@/lib/api/slow-queries";
import { installPeerTagging, PEER_HEADER } from "@/lib/auth/peer";
import type { Pgpulse } from "@/lib/server/wiring/compose";
import { setRuntimeForTests } from "@/lib/server/wiring/runtime";
import { createTestDatabase, urlAs, type TestDatabase } from "@/test/db";
import { faultConfig, startFaultPgpulse, until } from "@/test/faults/support";

// Sessions that merely call themselves pgpulse are everyone else's sessions: listed, counted
// as slow, terminable, and whole nodes of the blocker tree. pgpulse's own (monitoring, action,
// and a history store on the same server, as in the demo) stay hidden and protected, by pid.

const ID = "imp";

describe("sessions named like pgpulse's", () => {
  let target: TestDatabase;
  let storeDb: TestDatabase;
  let admin: pg.Client;
  let rt: Pgpulse;
  let mon: string;
  let app: string;
  const clients: pg.Client[] = [];

  beforeAll(async () => {
    // One server for both, like the demo: the store's sessions show in the target's pg_stat_activity.
    target = await createTestDatabase(17, "imp");
    storeDb = await createTestDatabase(17, "impst");
    mon = `mon_${target.name}`;
    app = `app_${target.name}`;
    admin = new pg.Client({ connectionString: target.url });
    await admin.connect();
    await admin.query(`CREATE ROLE ${mon} LOGIN PASSWORD 'pw' IN ROLE pg_monitor, pg_signal_backend;
      CREATE ROLE ${app} LOGIN PASSWORD 'pw';
      CREATE TABLE locked (id int); GRANT SELECT, UPDATE ON locked TO ${app};`);
    const config = faultConfig({ targets: [{ id: ID, name: "impostors", url: urlAs(target.url, mon, "pw") }] });
    rt = await startFaultPgpulse({ config, storeUrl: storeDb.url });
    setRuntimeForTests(rt);
    installPeerTagging();
  }, 60_000);

  afterAll(async () => {
    setRuntimeForTests(undefined);
    await rt?.stop();
    await Promise.allSettled(clients.map((c) => c.end()));
    await admin?.end();
    await Promise.allSettled([target?.drop(), storeDb?.drop()]);
    // The roles go last: their grants lived in the target database.
    const cleanup = new pg.Client({ connectionString: target.adminUrl });
    await cleanup.connect();
    await cleanup.query(`DROP ROLE IF EXISTS ${mon}; DROP ROLE IF EXISTS ${app}`).catch(() => {});
    await cleanup.end();
  });

  /** A session of an ordinary application role that sets the given application_name. */
  async function session(name: string): Promise<{ c: pg.Client; pid: number }> {
    const c = new pg.Client({ connectionString: urlAs(target.url, app, "pw"), application_name: name });
    // A terminated backend's client emits 'error': expected here.
    c.on("error", () => {});
    await c.connect();
    clients.push(c);
    return { c, pid: Number((await c.query("SELECT pg_backend_pid() AS pid")).rows[0].pid) };
  }

  const ctx = <P extends Record<string, string>>(params: P) => ({ params: Promise.resolve({ id: ID, ...params }) });
  const req = (path: string, method = "GET") =>
    new Request(`http://127.0.0.1/api/targets/${ID}/${path}`, {
      method,
      // What a browser on the same machine sends: loopback peer, Host, and a same-origin POST.
      headers: { [PEER_HEADER]: "127.0.0.1", host: "127.0.0.1", "sec-fetch-site": "same-origin" },
    });
  const activity = async () => {
    const res = await activityGET(req("activity"), ctx({}));
    if (res.status !== 200) throw new Error(`activity: ${res.status} ${await res.text()}`);
    return (await res.json()) as ActivityResponse;
  };
  const terminate = (pid: number) => sessionPOST(req(`sessions/${pid}/terminate`, "POST"), ctx({ pid: String(pid), action: "terminate" }));
  const alive = async (pid: number) => (await admin.query("SELECT 1 FROM pg_stat_activity WHERE pid = $1", [pid])).rowCount === 1;
  /** pgpulse's real sessions on the server: the monitoring role's, and the store database's. */
  const pgpulsePids = async () =>
    (
      await admin.query<{ pid: number; application_name: string }>(
        "SELECT pid, application_name FROM pg_stat_activity WHERE usename = $1 OR datname = $2",
        [mon, storeDb.name],
      )
    ).rows;

  it("lists them, counts them as slow, builds them into the blocker tree, and lets an admin terminate them", async () => {
    const sleeper = await session("pgpulse");
    const locker = await session("pgpulse-action");
    const idle = await session("pgpulse-store");
    const waiter = await session("app");
    const sleeping = sleeper.c.query("SELECT pg_sleep(60)").then(() => null, (e: { code?: string }) => e.code ?? "error");
    await locker.c.query("BEGIN; LOCK TABLE locked IN ACCESS EXCLUSIVE MODE");
    const waiting = waiter.c.query("SELECT count(*) FROM locked").catch(() => {});

    // Past the 1 s threshold, and sampled since.
    const seen = await until(
      "the impostors in the activity view",
      async () => {
        const a = await activity();
        const s = a.sessions.find((x) => x.pid === sleeper.pid);
        const blocked = a.sessions.find((x) => x.pid === waiter.pid)?.blockedBy.includes(locker.pid);
        return s && (s.durationMs ?? 0) > 1_500 && blocked ? a : null;
      },
      20_000,
    );
    const pids = seen.sessions.map((s) => s.pid);
    expect(pids).toEqual(expect.arrayContaining([sleeper.pid, locker.pid, idle.pid, waiter.pid]));
    expect(seen.sessions.find((s) => s.pid === sleeper.pid)).toMatchObject({ application: "pgpulse", state: "active" });

    // The impostor holding the lock is a known root, with its victim under it.
    const root = seen.blockerTree.find((n: BlockerNode) => n.pid === locker.pid);
    expect(root).toMatchObject({ known: true, application: "pgpulse-action", user: app, state: "idle in transaction" });
    expect(root?.children.map((c) => c.pid)).toEqual([waiter.pid]);

    // Running over the threshold: in the page's list and in the slow-queries task's own rows.
    const now = Date.now();
    const range = `from=${new Date(now - 3_600_000).toISOString()}&to=${new Date(now).toISOString()}`;
    const slow = (await (await slowGET(req(`slow-queries?${range}`), ctx({}))).json()) as SlowQueriesResponse;
    expect(slow.running.map((r) => r.pid)).toContain(sleeper.pid);
    await until("the sleeper among the slow_queries task's running rows", () => {
      const sq = rt.snapshot(ID)?.metrics.slow_queries;
      return sq?.status === "ok" && sq.rows.some((r) => r.source === "running" && r.pid === sleeper.pid);
    });

    // An admin may end them.
    for (const pid of [sleeper.pid, locker.pid]) {
      const res = await terminate(pid);
      expect(res.status, JSON.stringify(await res.clone().json())).toBe(200);
      expect(await res.json()).toMatchObject({ pid, ok: true });
    }
    expect(await sleeping).toBe("57P01");
    await until("the terminated backends gone", async () => !(await alive(sleeper.pid)) && !(await alive(locker.pid)));
    await waiting;
  }, 60_000);

  it("still hides pgpulse's own monitoring, action and store sessions, and refuses to terminate them", async () => {
    // Action connections close after each use: one is held open until the sample is taken (and
    // given back before the terminations below, which need the target's one action connection).
    const action = await rt.actionPool(ID).connect();
    let ours: Awaited<ReturnType<typeof pgpulsePids>>;
    let a: Awaited<ReturnType<typeof activity>>;
    try {
      ours = await pgpulsePids();
      for (const name of ["pgpulse", "pgpulse-action", "pgpulse-store"]) expect(ours.some((r) => r.application_name === name), name).toBe(true);
      // A sample taken after all of them were open.
      const since = Date.now();
      a = await until("a fresh activity sample", async () => {
        const x = await activity();
        return x.takenAt && Date.parse(x.takenAt) > since ? x : null;
      });
    } finally {
      action.release();
    }
    const byName = (name: string) => ours.filter((r) => r.application_name === name).map((r) => r.pid);
    const shown = new Set(a.sessions.map((s) => s.pid));
    expect(ours.filter((r) => shown.has(r.pid))).toEqual([]);

    for (const pid of [byName("pgpulse")[0], byName("pgpulse-store")[0]]) {
      const res = await terminate(pid);
      expect(res.status).toBe(403);
      // Refused as ours, not for want of a grant (the store runs as the superuser).
      expect(((await res.json()) as { error: string }).error).toMatch(/pgpulse's own sessions/);
      expect(await alive(pid)).toBe(true);
    }
  }, 30_000);
});
