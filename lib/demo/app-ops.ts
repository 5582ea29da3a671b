import "server-only";
import type pg from "pg";
import { PLANETS } from "./schema";
import { USER_ID_SQL } from "./seed";
import { timedQuery } from "./timed";

// What the kundli application does all day, one operation per call, weighted like real traffic:
// mostly reads by user and time range, some cache traffic, a few writes with their audit rows.
// Users 1 and 2 are left to the lock scenario so ordinary traffic never queues behind it.

export interface AppContext {
  pool: pg.Pool;
  users: number;
  /** Highest chart id seen at start; deletes pick below it. */
  maxChartId: number;
}

const FIRST_APP_USER = 3;

const pickUser = (ctx: AppContext) => FIRST_APP_USER + Math.floor(Math.random() * Math.max(1, ctx.users - FIRST_APP_USER + 1));
const daysAgo = (d: number) => new Date(Date.now() - d * 86_400_000);

type Op = (ctx: AppContext) => Promise<void>;

const q = (ctx: AppContext, text: string, params: unknown[]) => timedQuery(ctx.pool, ctx.pool, text, params);

const chartsByUser: Op = async (ctx) => {
  await q(ctx, `SELECT id, name, birth_time, birth_place FROM birth_charts WHERE user_id = ${USER_ID_SQL("$1::int")} ORDER BY birth_time DESC LIMIT 20`, [pickUser(ctx)]);
};

const chartsByTimeRange: Op = async (ctx) => {
  const from = Math.random() * 300;
  await q(
    ctx,
    `SELECT id, name, birth_time FROM birth_charts
     WHERE user_id = ${USER_ID_SQL("$1::int")} AND birth_time >= $2 AND birth_time < $3 ORDER BY birth_time`,
    [pickUser(ctx), daysAgo(from + 60), daysAgo(from)],
  );
};

// The guidelines' "efficient join".
const chartsWithFirstPosition: Op = async (ctx) => {
  await q(
    ctx,
    `SELECT b.id, b.name, b.birth_time, pp.planet, pp.sign
     FROM birth_charts b
     JOIN LATERAL (SELECT * FROM planetary_positions WHERE birth_chart_id = b.id LIMIT 1) pp ON true
     WHERE b.user_id = ${USER_ID_SQL("$1::int")}`,
    [pickUser(ctx)],
  );
};

// The guidelines' CTE form.
const chartPositions: Op = async (ctx) => {
  await q(ctx, `WITH planetary_data AS (SELECT * FROM planetary_positions WHERE birth_chart_id = $1) SELECT * FROM planetary_data`, [
    1 + Math.floor(Math.random() * ctx.maxChartId),
  ]);
};

const cachedChart: Op = async (ctx) => {
  const key = `chart:${1 + Math.floor(Math.random() * 5_000)}`;
  const hit = await q(ctx, `SELECT cache_value FROM query_cache WHERE cache_key = $1 AND expires_at > now()`, [key]);
  if (hit.result.rowCount) return;
  await q(
    ctx,
    `INSERT INTO query_cache (cache_key, cache_value, expires_at) VALUES ($1, $2, now() + interval '10 minutes')
     ON CONFLICT (cache_key) DO UPDATE SET cache_value = EXCLUDED.cache_value, created_at = now(), expires_at = EXCLUDED.expires_at`,
    [key, JSON.stringify({ dasha: "Vimshottari", computedAt: new Date().toISOString() })],
  );
};

const login: Op = async (ctx) => {
  await q(ctx, `UPDATE users SET last_login_at = now() WHERE id = ${USER_ID_SQL("$1::int")} AND is_active`, [pickUser(ctx)]);
};

const activeUsers: Op = async (ctx) => {
  await q(ctx, `SELECT count(*) FROM users WHERE is_active = true`, []);
};

async function inTransaction(ctx: AppContext, fn: (c: pg.PoolClient) => Promise<void>): Promise<void> {
  const c = await ctx.pool.connect();
  try {
    await c.query("BEGIN");
    await fn(c);
    await c.query("COMMIT");
  } catch (e) {
    await c.query("ROLLBACK").catch(() => {});
    throw e;
  } finally {
    c.release();
  }
}

const createChart: Op = (ctx) =>
  inTransaction(ctx, async (c) => {
    const user = pickUser(ctx);
    const { result } = await timedQuery<{ id: string; birth_time: Date; user_id: string }>(
      c,
      ctx.pool,
      `INSERT INTO birth_charts (user_id, name, birth_time, birth_place, latitude, longitude)
       VALUES (${USER_ID_SQL("$1::int")}, $2, $3, $4, $5, $6) RETURNING id, birth_time, user_id`,
      [user, `Chart of user ${user}`, daysAgo(Math.random() * 300), "Varanasi", 25.3 + Math.random(), 82.9 + Math.random()],
    );
    const chart = result.rows[0];
    await c.query(
      `INSERT INTO planetary_positions (birth_chart_id, birth_time, planet, longitude, sign, house, nakshatra)
       SELECT $1, $2, p, l, 1 + floor(l / 30)::int, 1 + i::int % 12, 1 + floor(l * 27 / 360)::int
       FROM unnest($3::text[]) WITH ORDINALITY AS u(p, i), LATERAL (SELECT random() * 359.999 + 0 * i AS l) x`,
      [chart.id, chart.birth_time, PLANETS],
    );
    await c.query(`INSERT INTO audit_log (table_name, operation, new_data, user_id) VALUES ('birth_charts', 'INSERT', $1, $2)`, [
      JSON.stringify({ chart_id: chart.id }),
      chart.user_id,
    ]);
  });

const renameChart: Op = (ctx) =>
  inTransaction(ctx, async (c) => {
    const id = 1 + Math.floor(Math.random() * ctx.maxChartId);
    const r = await c.query<{ user_id: string; name: string }>(
      `UPDATE birth_charts SET name = name || '*', updated_at = now() WHERE id = $1 RETURNING user_id, name`,
      [id],
    );
    if (!r.rowCount) return;
    await c.query(`INSERT INTO audit_log (table_name, operation, new_data, user_id) VALUES ('birth_charts', 'UPDATE', $1, $2)`, [
      JSON.stringify({ chart_id: id, name: r.rows[0].name }),
      r.rows[0].user_id,
    ]);
  });

const deleteChart: Op = (ctx) =>
  inTransaction(ctx, async (c) => {
    const id = 1 + Math.floor(Math.random() * ctx.maxChartId);
    const r = await c.query<{ user_id: string }>(`DELETE FROM birth_charts WHERE id = $1 RETURNING user_id`, [id]);
    if (!r.rowCount) return;
    await c.query(`INSERT INTO audit_log (table_name, operation, old_data, user_id) VALUES ('birth_charts', 'DELETE', $1, $2)`, [
      JSON.stringify({ chart_id: id }),
      r.rows[0].user_id,
    ]);
  });

/** [operation, weight] — reads dominate, as in the application. */
export const APP_OPS: ReadonlyArray<readonly [string, Op, number]> = [
  ["charts_by_user", chartsByUser, 25],
  ["charts_by_time_range", chartsByTimeRange, 15],
  ["charts_lateral", chartsWithFirstPosition, 10],
  ["chart_positions", chartPositions, 15],
  ["cached_chart", cachedChart, 15],
  ["login", login, 6],
  ["active_users", activeUsers, 2],
  ["create_chart", createChart, 7],
  ["rename_chart", renameChart, 4],
  ["delete_chart", deleteChart, 1],
];

const TOTAL_WEIGHT = APP_OPS.reduce((s, [, , w]) => s + w, 0);

export function pickOp(r = Math.random()): readonly [string, Op, number] {
  let x = r * TOTAL_WEIGHT;
  for (const op of APP_OPS) {
    x -= op[2];
    if (x < 0) return op;
  }
  return APP_OPS[APP_OPS.length - 1];
}

/** The cache's own expiry job: removes expired entries in small batches. */
export async function expireCache(pool: pg.Pool): Promise<number> {
  const r = await pool.query(`DELETE FROM query_cache WHERE ctid = ANY (ARRAY(SELECT ctid FROM query_cache WHERE expires_at < now() LIMIT 2000))`);
  return r.rowCount ?? 0;
}
