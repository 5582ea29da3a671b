import type pg from "pg";
import { afterAll, beforeAll, beforeEach } from "vitest";
import type { MetricResult } from "@/lib/metrics/types";
import { createStorePool } from "@/lib/db/pool";
import { migrate } from "@/lib/store/migrate";
import { planTestDatabase } from "@/test/db";

// The set-up every alert test on a real store shares: a migrated store on a fresh database for
// the file (made before its tests, dropped after them), optionally emptied of alert state
// before each test, a silent log and a way to feed the engine one result at a time.

/** Every table the alert side writes (engine, delivery, silences, fencing); the audit log is kept. */
const ALERT_TABLES = ["alerts", "alert_events", "notification_outbox", "notification_attempts", "silences", "leases"];

export interface AlertStore {
  /** The store's pool: usable from the file's first hook on (it connects on first use). */
  pool: pg.Pool;
  url: string;
}

/**
 * Registers the file's store hooks and returns the store at once, so a test file can name
 * `pool` at its top level. `emptyBeforeEach`: each test starts with no alerts, outbox,
 * silences or leases; without it the tests share what the file's beforeAll made.
 */
export function setUpAlertStore(opts: { emptyBeforeEach?: boolean } = {}): AlertStore {
  const db = planTestDatabase(17, "alerts");
  const pool = createStorePool(db.url, 6);
  beforeAll(async () => {
    await db.create();
    await migrate(pool);
  });
  afterAll(async () => {
    await pool.end();
    await db.drop();
  });
  if (opts.emptyBeforeEach) {
    beforeEach(async () => {
      await pool.query(`TRUNCATE ${ALERT_TABLES.map((t) => `pgpulse.${t}`).join(", ")} CASCADE`);
    });
  }
  return { pool, url: db.url };
}

export const quietLog = { info() {}, warn() {}, error() {} };

/** Hands the engine each result and waits until it has written what the result changed. */
export async function feed(engine: { accept(r: MetricResult): void; idle(): Promise<void> }, ...results: MetricResult[]): Promise<void> {
  for (const r of results) {
    engine.accept(r);
    await engine.idle();
  }
}
