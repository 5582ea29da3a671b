import { describe, expect, it } from "vitest";
import { GET } from "@/app/api/targets/[id]/maintenance/route";
import { maintenanceResponseSchema, type MaintenanceResponse } from "@/lib/api/maintenance";
import { PEER_HEADER } from "@/lib/auth/peer";
import { useRouteTestRuntime, type RouteTestRuntime } from "@/test/support/route-runtime";
import { FAST_INTERVALS } from "@/test/faults/support";

// The maintenance endpoint end to end: a real collector as a pg_monitor role fills the snapshot,
// and the route answers from it with the tables to VACUUM and the sequences by use.

const ID = "mt";
const INTERVALS = { ...FAST_INTERVALS, vacuum_progress: 1_000, autovacuum_workers: 1_000, sequences: 1_000, checkpoints: 500 };

describe("GET /api/targets/[id]/maintenance", () => {
  useRouteTestRuntime(
    {
      id: ID,
      prefix: "mt",
      intervals: INTERVALS,
      prepare: (admin, role) =>
        admin.query(`CREATE TABLE "Purged" (id int) WITH (autovacuum_enabled = off);
      INSERT INTO "Purged" SELECT generate_series(1, 40000); DELETE FROM "Purged" WHERE id <= 20000;
      CREATE TABLE legacy (id int NOT NULL); CREATE SEQUENCE legacy_id_seq AS bigint OWNED BY legacy.id;
      SELECT setval('legacy_id_seq', 2000000000); GRANT SELECT ON SEQUENCE legacy_id_seq TO ${role};
      CREATE SEQUENCE hidden_seq; SELECT nextval('hidden_seq');
      SELECT pg_stat_force_next_flush();`),
    },
    (fx) => (admin = fx.admin),
  );
  let admin: RouteTestRuntime["admin"];

  async function get(query = ""): Promise<{ status: number; body: MaintenanceResponse }> {
    const url = `http://127.0.0.1/api/targets/${ID}/maintenance${query}`;
    const res = await GET(new Request(url, { headers: { [PEER_HEADER]: "127.0.0.1", host: "127.0.0.1" } }), { params: Promise.resolve({ id: ID }) });
    return { status: res.status, body: (await res.json()) as MaintenanceResponse };
  }

  it("lists the table to VACUUM, the sequences by use and the workers, from the snapshot", async () => {
    let answer = await get();
    for (let i = 0; i < 120 && !(answer.body.tables?.vacuum?.length && answer.body.sequences?.takenAt && answer.body.autovacuum?.takenAt); i++) {
      await new Promise((r) => setTimeout(r, 250));
      answer = await get();
    }
    expect(answer.status).toBe(200);
    const body = maintenanceResponseSchema.parse(answer.body);
    expect(body.tables.vacuum[0]).toMatchObject({ schema: "public", table: "Purged", reason: "dead_tuples", deadTuples: 20_000, deadRatio: 0.5, sql: 'VACUUM (ANALYZE) public."Purged";' });
    expect(body.sequences.rows[0]).toMatchObject({ sequence: "legacy_id_seq", column: "public.legacy.id", columnType: "integer", lastValue: "2000000000", limitValue: "2147483647" });
    expect(body.sequences.rows[0].percentUsed).toBeCloseTo((2e9 * 100) / 2147483647, 6);
    expect(body.sequences.rows.find((s) => s.sequence === "hidden_seq")).toMatchObject({ lastValue: null, lastValueUnavailable: "no_privilege" });
    expect(body.sequences.grantHint).toContain("GRANT SELECT ON ALL SEQUENCES");
    expect(body.autovacuum.maxWorkers).toBe(3);
    expect(body.vacuums.unavailable).toBeNull();
  }, 60_000);

  it("counts a CHECKPOINT as requested over the window, from stored samples (17: backend writes in pg_stat_io)", async () => {
    let answer = await get();
    for (let i = 0; i < 120 && answer.body.checkpoints?.timed === null; i++) {
      await new Promise((r) => setTimeout(r, 250));
      answer = await get();
    }
    const before = answer.body.checkpoints.requested ?? 0;
    await admin.query("CHECKPOINT");
    for (let i = 0; i < 120 && (answer.body.checkpoints.requested ?? 0) <= before; i++) {
      await new Promise((r) => setTimeout(r, 250));
      answer = await get("?window=6h");
    }
    const c = maintenanceResponseSchema.parse(answer.body).checkpoints;
    expect(c.window).toBe("6h");
    // At least: another test file's DROP DATABASE on the shared server requests one too.
    expect(c.requested! - before).toBeGreaterThanOrEqual(1);
    expect(c.timed).toEqual(expect.any(Number));
    expect(c.resets).toBe(0);
    expect(c.coveredMs).toBeGreaterThan(0);
    expect(c.buffersBackend).toBeNull();
    expect(c.buffersBackendNote).toContain("pg_stat_io");
    expect(c.cadenceMs).toBe(500);
  }, 60_000);

  it("refuses an unknown window naming the parameter", async () => {
    const res = await get("?window=2h");
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ param: "window" });
  });

  it("answers 404 for an unknown target", async () => {
    const res = await GET(new Request("http://127.0.0.1/api/targets/nope/maintenance", { headers: { [PEER_HEADER]: "127.0.0.1", host: "127.0.0.1" } }), { params: Promise.resolve({ id: "nope" }) });
    expect(res.status).toBe(404);
  });
});
