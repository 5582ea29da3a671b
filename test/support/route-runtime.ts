import pg from "pg";
import pino from "pino";
import { afterAll, beforeAll } from "vitest";
import { installPeerTagging } from "@/lib/auth/peer";
import { configSchema } from "@/lib/config/schema";
import { startPgpulse, type Pgpulse } from "@/lib/server/wiring/compose";
import { setRuntimeForTests } from "@/lib/server/wiring/runtime";
import { createTestDatabase, urlAs, type TestDatabase } from "@/test/db";

const HOUR = 3_600_000;

/**
 * The probe every second and each snapshot metric once an hour: after the first results land,
 * the snapshot answers hold still, and only runNow() lands a new result.
 */
export const SNAPSHOT_ONCE_INTERVALS = { server: 1_000, stat_activity: HOUR, connections: HOUR, db_stats: HOUR, index_stats: HOUR, index_bloat: HOUR, table_stats: HOUR };

/** Every hourly metric of SNAPSHOT_ONCE_INTERVALS has its first result in the snapshot. */
export const snapshotLanded = (rt: Pgpulse, id: string): boolean =>
  Object.keys(SNAPSHOT_ONCE_INTERVALS)
    .filter((m) => m !== "server")
    .every((m) => rt.snapshot(id)?.metrics[m]?.status === "ok");

export interface RouteTestRuntime {
  target: TestDatabase;
  storeDb: TestDatabase;
  /** Superuser on the target database. */
  admin: pg.Client;
  /** A LOGIN role in pg_monitor, the one pgpulse monitors with. */
  role: string;
  rt: Pgpulse;
}

/**
 * The set-up of tests that call route handlers directly, registered as beforeAll/afterAll: a
 * target database and a store on PostgreSQL 17, a pg_monitor role, `prepare` run as superuser
 * (it may grant to the role), then pgpulse watching the target as that role, handed to the
 * handlers with setRuntimeForTests. Everything is dropped after the file.
 */
export function useRouteTestRuntime(
  opts: { id: string; prefix: string; prepare: (admin: pg.Client, role: string) => Promise<unknown>; intervals: Record<string, number> },
  ready: (fx: RouteTestRuntime) => void,
): void {
  const fx: Partial<RouteTestRuntime> = {};
  beforeAll(async () => {
    fx.target = await createTestDatabase(17, opts.prefix);
    fx.storeDb = await createTestDatabase(17, `${opts.prefix}store`);
    fx.role = `mon_${fx.target.name}`;
    fx.admin = new pg.Client({ connectionString: fx.target.url });
    await fx.admin.connect();
    await fx.admin.query(`CREATE ROLE ${fx.role} LOGIN PASSWORD 'pw'; GRANT pg_monitor TO ${fx.role}`);
    await opts.prepare(fx.admin, fx.role);
    const config = configSchema.parse({ targets: [{ id: opts.id, name: opts.prefix, url: urlAs(fx.target.url, fx.role, "pw") }] });
    fx.rt = await startPgpulse({ config, storeUrl: fx.storeDb.url, version: "test", log: pino({ level: "silent" }), intervals: opts.intervals });
    setRuntimeForTests(fx.rt);
    installPeerTagging();
    ready(fx as RouteTestRuntime);
  }, 60_000);
  afterAll(async () => {
    setRuntimeForTests(undefined);
    await fx.rt?.stop();
    await fx.admin?.query(`DROP ROLE IF EXISTS ${fx.role}`).catch(() => {});
    await fx.admin?.end();
    await fx.target?.drop();
    await fx.storeDb?.drop();
  });
}
