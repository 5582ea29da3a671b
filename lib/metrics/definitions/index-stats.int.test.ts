import pg from "pg";
import { describe, expect, it } from "vitest";
import { useMetricTestTarget } from "@/test/support/metric-target";
import type { TestTarget } from "@/test/support/target";
import { runMetric } from "@/lib/metrics/run";
import { SUPPORTED_MAJORS } from "@/test/db";
import { indexStats, type IndexStatsRow } from "./index-stats";

describe.each(SUPPORTED_MAJORS)("index_stats on PostgreSQL %i", (major) => {
  let admin: pg.Client;
  let target: TestTarget;

  useMetricTestTarget(major, async (admin) => {
    await admin.query(`
      CREATE TABLE users (id int PRIMARY KEY, email text, is_active boolean, created_at timestamptz, name text);
      CREATE UNIQUE INDEX users_email_key ON users (email);
      CREATE INDEX users_email_plain ON users (email);
      CREATE INDEX users_active ON users (id) WHERE is_active;
      CREATE INDEX users_active_again ON users (id) WHERE is_active;
      CREATE INDEX users_lower_name ON users (lower(name));
      CREATE INDEX users_lower_name_2 ON users ( lower( name ) );
      CREATE INDEX users_created ON users (created_at);
      CREATE INDEX users_created_name ON users (created_at, name);
      CREATE INDEX users_name_hash ON users USING hash (name);
      CREATE INDEX users_name_btree ON users (name);
      CREATE TABLE charts (id int, at timestamptz NOT NULL) PARTITION BY RANGE (at);
      CREATE TABLE charts_a PARTITION OF charts FOR VALUES FROM ('2024-01-01') TO ('2024-02-01');
      CREATE INDEX charts_at ON charts (at);
      INSERT INTO users SELECT g, 'u' || g || '@example.com', g % 3 = 0, now(), 'n' || g FROM generate_series(1, 2000) g;
      INSERT INTO charts SELECT g, '2024-01-05' FROM generate_series(1, 2000) g;
      ANALYZE;
    `);
    await admin.query("SELECT * FROM users WHERE id = 5");
  }, (fx) => ({ admin, target } = fx));

  it("finds unused, duplicate and prefix-redundant indexes", async () => {
    const r = await runMetric(target.pool, indexStats, target.ctx.caps, "t");
    expect(r.status).toBe("ok");
    if (r.status !== "ok") return;
    const rows = new Map((r.rows as IndexStatsRow[]).map((x) => [x.index, x]));

    const pkey = rows.get("users_pkey")!;
    expect(pkey.is_primary).toBe(true);
    expect(pkey.unused).toBe(false);
    expect(pkey.definition).toBe("CREATE UNIQUE INDEX users_pkey ON public.users USING btree (id)");
    expect(pkey.size_bytes).toBeGreaterThan(8192);

    // Unique and primary indexes are never "unused": they enforce something.
    expect(rows.get("users_email_key")!.unused).toBe(false);
    expect(rows.get("users_created")!.unused).toBe(true);
    expect(rows.get("users_created")!.idx_scan).toBe(0);

    expect(rows.get("users_email_plain")!.duplicate_of).toBe("users_email_key");
    expect(rows.get("users_email_key")!.duplicate_of).toBeNull();
    expect(rows.get("users_active_again")!.duplicate_of).toBe("users_active");
    expect(rows.get("users_active")!.duplicate_of).toBeNull();
    // Same expression written differently: compared deparsed.
    expect(rows.get("users_lower_name_2")!.duplicate_of).toBe("users_lower_name");
    // Partial index on id is not a duplicate of the full primary key.
    expect(rows.get("users_active")!.duplicate_of).toBeNull();
    // Different access methods are different indexes.
    expect(rows.get("users_name_hash")!.duplicate_of).toBeNull();
    expect(rows.get("users_name_btree")!.duplicate_of).toBeNull();

    expect(rows.get("users_created")!.prefix_of).toBe("users_created_name");
    expect(rows.get("users_created_name")!.prefix_of).toBeNull();

    const parent = rows.get("charts_at")!;
    const leaf = [...rows.values()].find((x) => x.table === "charts_a")!;
    expect(parent.is_partitioned).toBe(true);
    expect(parent.idx_scan).toBeNull();
    expect(parent.unused).toBe(false);
    expect(parent.size_bytes).toBe(leaf.size_bytes);
    expect(parent.size_bytes).toBeGreaterThan(0);
  });

  it("counts scans once the statistics arrive", async () => {
    let pkey: IndexStatsRow | undefined;
    for (let i = 0; i < 40; i++) {
      await admin.query(major >= 15 ? "SELECT pg_stat_force_next_flush()" : "SELECT 1");
      const r = await runMetric(target.pool, indexStats, target.ctx.caps, "t");
      if (r.status !== "ok") throw new Error("index_stats failed");
      pkey = (r.rows as IndexStatsRow[]).find((x) => x.index === "users_pkey");
      if ((pkey?.idx_scan ?? 0) >= 1) break;
      await new Promise((res) => setTimeout(res, 250));
    }
    expect(pkey?.idx_scan).toBeGreaterThanOrEqual(1);
    expect(pkey?.idx_tup_fetch).toBeGreaterThanOrEqual(1);
  });
});
