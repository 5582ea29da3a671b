import pg from "pg";
import { afterAll, beforeAll } from "vitest";
import { createTestDatabase, type TestDatabase } from "@/test/db";
import { openTestTarget, type TestTarget } from "./target";

export interface MetricTestTarget {
  db: TestDatabase;
  /** Superuser connection to the same database, for preparing and changing what is measured. */
  admin: pg.Client;
  /** pgpulse's view of the database: its pools and probed capabilities. */
  target: TestTarget;
}

/**
 * The set-up every metric test file shares, registered as its beforeAll/afterAll: a fresh
 * database on `major`, an admin connection, `prepare` run with it, then the target opened (after
 * preparing, so the probe sees the objects). `ready` hands the three to the file's variables.
 */
export function useMetricTestTarget(
  major: number,
  prepare: ((admin: pg.Client) => Promise<unknown>) | null,
  ready: (fx: MetricTestTarget) => void,
): void {
  const fx: Partial<MetricTestTarget> = {};
  beforeAll(async () => {
    fx.db = await createTestDatabase(major);
    fx.admin = new pg.Client({ connectionString: fx.db.url });
    await fx.admin.connect();
    if (prepare) await prepare(fx.admin);
    fx.target = await openTestTarget(fx.db.url);
    ready(fx as MetricTestTarget);
  });
  afterAll(async () => {
    await fx.target?.end();
    await fx.admin?.end();
    await fx.db?.drop();
  });
}
