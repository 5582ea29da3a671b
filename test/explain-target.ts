import pg from "pg";
import { explainRequestSchema, type ExplainRequest, type ExplainResponse } from "@/lib/api/explain";
import { APPLICATION_NAMES } from "@/lib/db/application-names";
import { createTargetPool } from "@/lib/db/pool";
import { migrate } from "@/lib/store/migrate";
import { ExplainError } from "@/lib/server/commands/explain";
import { explainForActor } from "@/lib/server/commands/explain-request";
import { createTestDatabase, type TestDatabase } from "./db";

// A target for EXPLAIN tests: a fresh database, an action pool built as compose.ts builds it,
// the history store (audit log) in the same database, and the path the route takes.

export interface ExplainTarget {
  db: TestDatabase;
  /** Superuser session, for setup and for looking at pg_locks / pg_stat_activity. */
  admin: pg.Client;
  store: pg.Pool;
  actionPool: pg.Pool;
  serverVersionNum: number;
  /** Runs the request as the route does, as an admin named `actor` (a fresh name per call by default). */
  explain(body: ExplainRequest, actor?: string): Promise<ExplainResponse>;
  /** The ExplainError the request ends with; fails the test if it succeeds. */
  refused(body: ExplainRequest, actor?: string): Promise<ExplainError>;
  /** How many advisory locks with this key are held in the test database. */
  advisoryLocks(key: number): Promise<number>;
  close(): Promise<void>;
}

let calls = 0;

export async function createExplainTarget(major: number, setupSql: (url: string) => string): Promise<ExplainTarget> {
  const db = await createTestDatabase(major, "explain");
  const admin = new pg.Client({ connectionString: db.url });
  await admin.connect();
  await admin.query(setupSql(db.url));
  const serverVersionNum = Number((await admin.query("SHOW server_version_num")).rows[0].server_version_num);
  const store = new pg.Pool({ connectionString: db.url, max: 2 });
  await migrate(store);
  const actionPool = createTargetPool({ url: db.url, max: 1, applicationName: APPLICATION_NAMES.action, statementTimeoutMs: 30_000 });

  // The limiter allows 6 a minute per actor and target: each call is its own actor.
  const explain = (body: ExplainRequest, actor = `admin-${++calls}`) =>
    explainForActor(
      { store, actionPool: () => actionPool, targetId: db.name, serverVersionNum, actor: { name: actor, role: "admin" }, sourceAddress: "192.0.2.1" },
      explainRequestSchema.parse(body),
    );
  return {
    db,
    admin,
    store,
    actionPool,
    serverVersionNum,
    explain,
    async refused(body, actor) {
      const e = await explain(body, actor).then(
        () => new Error(`not refused: ${body.query}`),
        (x: unknown) => x,
      );
      if (!(e instanceof ExplainError)) throw e;
      return e;
    },
    async advisoryLocks(key) {
      const r = await admin.query(
        "SELECT count(*)::int AS n FROM pg_locks WHERE locktype = 'advisory' AND objid = $1 AND database = (SELECT oid FROM pg_database WHERE datname = current_database())",
        [key],
      );
      return r.rows[0].n;
    },
    async close() {
      await actionPool.end();
      await store.end();
      await admin.end();
      await db.drop();
    },
  };
}

/** Polls until the check passes or the time is up; returns the last value. */
export async function eventually<T>(read: () => Promise<T>, ok: (v: T) => boolean, ms = 3_000): Promise<T> {
  const until = Date.now() + ms;
  let v = await read();
  while (!ok(v) && Date.now() < until) {
    await new Promise((r) => setTimeout(r, 50));
    v = await read();
  }
  return v;
}
