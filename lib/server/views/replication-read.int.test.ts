import pg from "pg";
import pino from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { GET } from "@/app/api/targets/[id]/replication/route";
import { GET as getSeries } from "@/app/api/targets/[id]/series/route";
import { seriesResponseSchema } from "@/lib/api/series";
import { replicationResponseSchema, type ReplicationResponse } from "@/lib/api/replication";
import { installPeerTagging, PEER_HEADER } from "@/lib/auth/peer";
import { configSchema } from "@/lib/config/schema";
import { startPgpulse, type Pgpulse } from "@/lib/server/wiring/compose";
import { setRuntimeForTests } from "@/lib/server/wiring/runtime";
import { createTestDatabase, urlAs, type TestDatabase } from "@/test/db";
import { FAST_INTERVALS, until } from "@/test/faults/support";
import { STANDBY_APP, startStandbyPair, type StandbyPair } from "@/test/support/standby";

// The replication endpoint against a real primary and its real streaming standby, both watched
// by pgpulse as a pg_monitor role. What the route answers from the collector's snapshot must
// match what psql says: bytes behind and slot retention are bracketed by pg_wal_lsn_diff read
// just before and just after the sample the answer came from (the current WAL position only
// grows, and with replay paused the standby's position stands still).

const INTERVALS = { ...FAST_INTERVALS, replication: 500, standby_status: 500, replication_slots: 500, wal: 500, archiver: 1_000, backups: 1_000 };
const ROLE = "pgpulse_mon";
const IDLE_SLOT = "abandoned_slot";

describe("GET /api/targets/[id]/replication on a primary and its streaming standby", () => {
  let pair: StandbyPair;
  let storeDb: TestDatabase;
  let admin: pg.Client;
  let standbyAdmin: pg.Client;
  let rt: Pgpulse;

  beforeAll(async () => {
    pair = await startStandbyPair(17);
    storeDb = await createTestDatabase(17, "replstore");
    admin = new pg.Client({ connectionString: pair.primary.url() });
    await admin.connect();
    // Everything made on the primary reaches the standby: the role, backup_log and its row.
    await admin.query(`CREATE ROLE ${ROLE} LOGIN PASSWORD 'pw' IN ROLE pg_monitor;
      CREATE TABLE backup_log (id bigserial PRIMARY KEY, label text, started_at timestamptz, finished_at timestamptz, ok boolean, size_bytes bigint, tool text);
      GRANT SELECT ON backup_log TO ${ROLE};
      INSERT INTO backup_log (label, started_at, finished_at, ok, size_bytes, tool)
        VALUES ('nightly', now() - interval '3 hours', now() - interval '2 hours', true, 1048576, 'pg_basebackup'),
               ('retry', now() - interval '1 hour', now() - interval '50 minutes', false, NULL, 'pg_basebackup');
      CREATE TABLE ticks (id serial PRIMARY KEY, pad text)`);
    standbyAdmin = new pg.Client({ connectionString: pair.standby.url() });
    await standbyAdmin.connect();
    const config = configSchema.parse({
      targets: [
        { id: "p", name: "primary", url: urlAs(pair.primary.url(), ROLE, "pw") },
        { id: "s", name: "standby", url: urlAs(pair.standby.url(), ROLE, "pw") },
      ],
    });
    rt = await startPgpulse({ config, storeUrl: storeDb.url, version: "test", log: pino({ level: "silent" }), intervals: INTERVALS });
    setRuntimeForTests(rt);
    installPeerTagging();
  }, 120_000);

  afterAll(async () => {
    setRuntimeForTests(undefined);
    await rt?.stop();
    await standbyAdmin?.query("SELECT pg_wal_replay_resume()").catch(() => {});
    await Promise.allSettled([admin?.end(), standbyAdmin?.end()]);
    await pair?.close();
    await storeDb?.drop();
  });

  async function get(id: string): Promise<ReplicationResponse> {
    const res = await GET(new Request(`http://127.0.0.1/api/targets/${id}/replication`, { headers: { [PEER_HEADER]: "127.0.0.1", host: "127.0.0.1" } }), {
      params: Promise.resolve({ id }),
    });
    expect(res.status).toBe(200);
    return replicationResponseSchema.parse(await res.json());
  }

  /** The first answer whose part was sampled after `after`. */
  const fresh = (id: string, part: (b: ReplicationResponse) => string | null, after: Date) =>
    until(`${id} sampled after ${after.toISOString()}`, async () => {
      const b = await get(id);
      const at = part(b);
      return at !== null && Date.parse(at) > after.getTime() ? b : null;
    }, 20_000, 100);

  const diffNow = async (lsn: string) => Number((await admin.query("SELECT pg_wal_lsn_diff(pg_current_wal_lsn(), $1::pg_lsn) AS d", [lsn])).rows[0].d);

  it("links the two targets by their system identifier and says which side each is", async () => {
    const p = await until("both probed", async () => {
      const b = await get("p");
      return b.role.links.length ? b : null;
    }, 20_000, 100);
    expect(p.role).toMatchObject({ role: "primary", links: [{ targetId: "s", name: "standby", role: "standby" }] });
    const s = await until("each side's metric run once", async () => {
      const b = await get("s");
      return b.standbys.unavailable && (await get("p")).standby.unavailable ? b : null;
    });
    expect(s.role).toMatchObject({ role: "standby", links: [{ targetId: "p", name: "primary", role: "primary" }] });
    expect(s.standbys.unavailable).toBe("unavailable: primary only");
    expect((await get("p")).standby.unavailable).toBe("unavailable: standby only");
  }, 30_000);

  it("reports the standby's bytes behind as pg_wal_lsn_diff says, with replay paused", async () => {
    await standbyAdmin.query("SELECT pg_wal_replay_pause()");
    await until("replay paused", async () => (await standbyAdmin.query("SELECT pg_get_wal_replay_pause_state() = 'paused' AS p")).rows[0].p);
    await admin.query("INSERT INTO ticks (pad) SELECT repeat('x', 500) FROM generate_series(1, 4000)");
    const replay = await until("standby replay position reported", async () => {
      const r = (await admin.query("SELECT replay_lsn::text AS l, pg_wal_lsn_diff(pg_current_wal_lsn(), replay_lsn) AS d FROM pg_stat_replication WHERE application_name = $1", [STANDBY_APP])).rows[0];
      // The written rows reached the standby but were not replayed: more than 1 MB behind.
      return r && Number(r.d) > 1_000_000 ? (r.l as string) : null;
    });
    const before = await diffNow(replay);
    const started = new Date();
    const body = await fresh("p", (b) => b.standbys.takenAt, started);
    const after = await diffNow(replay);
    const row = body.standbys.rows.find((r) => r.applicationName === STANDBY_APP);
    expect(row).toMatchObject({ clientAddr: "127.0.0.1", state: "streaming", syncState: "async", replayLsn: replay });
    expect(row!.replayBytesBehind).toBeGreaterThanOrEqual(before);
    expect(row!.replayBytesBehind).toBeLessThanOrEqual(after);
    expect(row!.replayBytesBehind).toBeGreaterThan(1_000_000);

    // The standby's own side: replay paused, what it received but did not replay.
    const pending = async () => Number((await standbyAdmin.query("SELECT pg_wal_lsn_diff(pg_last_wal_receive_lsn(), pg_last_wal_replay_lsn()) AS d")).rows[0].d);
    const lo = await pending();
    const s = await fresh("s", (b) => b.standby.takenAt, new Date());
    const hi = await pending();
    expect(s.standby.status).toMatchObject({ replayPaused: true, receiverStatus: "streaming", senderHost: "127.0.0.1", senderPort: pair.primary.port });
    expect(s.standby.status!.replayBytesPending).toBeGreaterThanOrEqual(lo);
    expect(s.standby.status!.replayBytesPending).toBeLessThanOrEqual(hi);
    expect(s.standby.status!.replayDelaySeconds).toBeGreaterThan(0);

    await standbyAdmin.query("SELECT pg_wal_replay_resume()");
  }, 60_000);

  it("reports an abandoned slot's retained WAL as pg_wal_lsn_diff says", async () => {
    await admin.query("SELECT pg_create_physical_replication_slot($1, true)", [IDLE_SLOT]);
    await admin.query("INSERT INTO ticks (pad) SELECT repeat('y', 500) FROM generate_series(1, 2000)");
    const restart = (await admin.query("SELECT restart_lsn::text AS l FROM pg_replication_slots WHERE slot_name = $1", [IDLE_SLOT])).rows[0].l as string;
    const before = await diffNow(restart);
    const body = await fresh("p", (b) => b.slots.takenAt, new Date());
    const after = await diffNow(restart);
    const slot = body.slots.rows.find((s) => s.name === IDLE_SLOT);
    expect(slot).toMatchObject({ type: "physical", active: false, walStatus: "reserved", temporary: false });
    expect(slot!.retainedBytes).toBeGreaterThanOrEqual(before);
    expect(slot!.retainedBytes).toBeLessThanOrEqual(after);
    expect(slot!.retainedBytes).toBeGreaterThan(500_000);
    // The standby's own slot is active and listed too.
    expect(body.slots.rows.find((s) => s.name === "pgpulse_standby")).toMatchObject({ active: true });
    await admin.query("SELECT pg_drop_replication_slot($1)", [IDLE_SLOT]);
  }, 30_000);

  it("computes the WAL rate from position deltas, with max_wal_size beside it", async () => {
    await admin.query("INSERT INTO ticks (pad) SELECT repeat('z', 500) FROM generate_series(1, 4000)");
    const body = await until("a WAL rate", async () => {
      const b = await get("p");
      return b.wal.bytesPerSecond !== null && b.wal.bytesPerSecond > 0 ? b : null;
    }, 20_000, 200);
    expect(body.wal.maxWalSizeBytes).toBe(1024 ** 3);
    expect(body.wal.windowMs).toBe(5 * 60_000);
    // The standby replays but writes no WAL of its own: its position follows the primary's.
    const s = await until("standby WAL rate", async () => {
      const b = await get("s");
      return b.wal.takenAt ? b : null;
    });
    expect(s.wal.unavailable).toBeNull();
  }, 30_000);

  it("reads the newest successful backup and its age from backup_log, on both sides", async () => {
    for (const id of ["p", "s"]) {
      const b = await until(`${id} backups`, async () => ((await get(id)).backup.takenAt ? get(id) : null), 20_000, 200);
      expect(b.backup).toMatchObject({ unavailable: null, source: "backup_log", lastOk: { label: "nightly", sizeBytes: 1048576, tool: "pg_basebackup" }, lastRun: { label: "retry", ok: false } });
      expect(b.backup.lastOk!.ageSeconds).toBeGreaterThan(2 * 3600 - 5);
      expect(b.backup.lastOk!.ageSeconds).toBeLessThan(2 * 3600 + 120);
    }
  }, 45_000);

  it("says archiving is not configured on both sides, with counts from deltas", async () => {
    const b = await until("archiver sampled twice", async () => {
      const x = await get("p");
      return x.archiver.archivedInWindow !== null ? x : null;
    }, 20_000, 200);
    expect(b.archiver).toMatchObject({ archiveMode: "off", configured: false, archivedInWindow: 0, failedInWindow: 0, lastArchivedWal: null, failing: false });
  }, 30_000);

  it("serves the standby's bytes behind and the WAL rate as series for the charts", async () => {
    const series = async (query: string) => {
      const res = await getSeries(new Request(`http://127.0.0.1/api/targets/p/series?${query}`, { headers: { [PEER_HEADER]: "127.0.0.1", host: "127.0.0.1" } }), {
        params: Promise.resolve({ id: "p" }),
      });
      expect(res.status).toBe(200);
      return seriesResponseSchema.parse(await res.json());
    };
    const values = (points: Array<[string, number | null]>) => points.map((p) => p[1]).filter((v): v is number => v !== null);
    const behind = await series(`metric=replay_bytes_behind&standby=${STANDBY_APP}&step=1`);
    expect(behind.unit).toBe("bytes");
    // Replay was paused above while more than 1 MB was written.
    expect(Math.max(...values(behind.points))).toBeGreaterThan(1_000_000);
    expect(values((await series("metric=replay_bytes_behind&standby=no_such_standby&step=1")).points)).toEqual([]);
    const rate = await series("metric=wal_bytes_per_second&step=5");
    expect(rate.unit).toBe("bytes_per_second");
    expect(Math.max(...values(rate.points))).toBeGreaterThan(0);
    expect(values(rate.points).every((v) => v >= 0)).toBe(true);
  }, 30_000);
});
