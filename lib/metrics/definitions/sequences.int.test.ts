import { randomBytes } from "node:crypto";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runMetric } from "@/lib/metrics/run";
import { createTestDatabase, SUPPORTED_MAJORS, urlAs, withClient, type TestDatabase } from "@/test/db";
import { openTestTarget, type TestTarget } from "@/test/support/target";
import { sequences, type SequencesRow } from "./sequences";

// Percentages at the type boundaries, the column type winning over the sequence's own limit,
// descending sequences, and what a pg_monitor-only role can and cannot read.

async function read(t: TestTarget): Promise<Map<string, SequencesRow>> {
  const r = await runMetric(t.pool, sequences, t.ctx.caps, "test");
  if (r.status !== "ok") throw new Error(`sequences: ${r.status} ${"error" in r ? r.error : ""}`);
  return new Map((r.rows as SequencesRow[]).map((x) => [x.sequencename, x]));
}

describe.each(SUPPORTED_MAJORS)("sequences on PostgreSQL %i", (major) => {
  let db: TestDatabase;
  let admin: pg.Client;
  let target: TestTarget;
  const monitor = `mon_${randomBytes(4).toString("hex")}`;

  beforeAll(async () => {
    db = await createTestDatabase(major);
    admin = new pg.Client({ connectionString: db.url });
    await admin.connect();
    await admin.query(`
      CREATE SEQUENCE s_small AS smallint;
      SELECT setval('s_small', 16384);
      -- An int4 column fed by a bigint sequence: the column overflows first.
      CREATE TABLE legacy (id int NOT NULL);
      CREATE SEQUENCE legacy_id_seq AS bigint OWNED BY legacy.id;
      SELECT setval('legacy_id_seq', 2147483000);
      CREATE TABLE events (id bigint GENERATED ALWAYS AS IDENTITY, v int);
      SELECT setval(pg_get_serial_sequence('events', 'id'), 9223372036854775000);
      CREATE SEQUENCE s_down AS int INCREMENT -1;
      SELECT setval('s_down', -1073741824);
      CREATE SEQUENCE s_fresh;
    `);
    await admin.query(`CREATE ROLE ${monitor} LOGIN PASSWORD 'pw' IN ROLE pg_monitor`);
    target = await openTestTarget(db.url);
  });

  afterAll(async () => {
    await target?.end();
    await admin?.end();
    await db?.drop();
    if (db) await withClient(db.adminUrl, (c) => c.query(`DROP ROLE IF EXISTS ${monitor}`));
  });

  it("measures each sequence against the first limit it will reach", async () => {
    const rows = await read(target);
    expect(rows.get("s_small")).toMatchObject({ data_type: "smallint", last_value: "16384", limit_value: "32767", column_name: null });
    expect(rows.get("s_small")!.percent_used).toBeCloseTo((16384 * 100) / 32767, 9);
    expect(rows.get("legacy_id_seq")).toMatchObject({
      data_type: "bigint", column_name: "public.legacy.id", column_type: "integer", limit_value: "2147483647", last_value: "2147483000",
    });
    expect(rows.get("legacy_id_seq")!.percent_used).toBeCloseTo((2147483000 * 100) / 2147483647, 9);
    // Past 2^53 the text keeps every digit.
    expect(rows.get("events_id_seq")).toMatchObject({
      column_name: "public.events.id", column_type: "bigint", last_value: "9223372036854775000", limit_value: "9223372036854775807",
    });
    expect(rows.get("events_id_seq")!.percent_used).toBeCloseTo(100, 9);
    expect(rows.get("s_down")).toMatchObject({ increment_by: "-1", last_value: "-1073741824", limit_value: "-2147483648" });
    expect(rows.get("s_down")!.percent_used).toBeCloseTo(50, 9);
    expect(rows.get("s_fresh")).toMatchObject({ last_value: null, percent_used: null, last_value_unavailable: "never_called" });
    // Fullest first.
    expect([...rows.keys()].slice(0, 2)).toEqual(["events_id_seq", "legacy_id_seq"]);
  });

  it("says a pg_monitor role may not read last_value, and reads it once granted", async () => {
    const mon = await openTestTarget(urlAs(db.url, monitor, "pw"));
    try {
      let rows = await read(mon);
      expect(rows.get("s_small")).toMatchObject({ last_value: null, percent_used: null, last_value_unavailable: "no_privilege" });
      // The column and the limit come from the catalogs, which every role reads.
      expect(rows.get("legacy_id_seq")).toMatchObject({ column_type: "integer", limit_value: "2147483647" });
      await admin.query(`GRANT SELECT ON SEQUENCE s_small TO ${monitor}`);
      rows = await read(mon);
      expect(rows.get("s_small")).toMatchObject({ last_value: "16384", last_value_unavailable: null });
      expect(rows.get("s_fresh")!.last_value_unavailable).toBe("no_privilege");
      if (major >= 14) {
        await admin.query(`GRANT pg_read_all_data TO ${monitor}`);
        rows = await read(mon);
        expect(rows.get("legacy_id_seq")).toMatchObject({ last_value: "2147483000", last_value_unavailable: null });
      }
    } finally {
      await mon.end();
    }
  });
});
