import "server-only";
import type pg from "pg";
import { PARTITIONS_SQL, PLANETS, SCHEMA_SQL } from "./schema";

// Loads the demo data once, with set-based SQL in steps so progress can be shown. A marker row
// (demo_seed) is written last: an interrupted seed leaves no marker and is redone from scratch.

export interface SeedProgress {
  step: string;
  rows: number;
  /** 0–100 over the whole seed. */
  pct: number;
}

export interface SeedOptions {
  /** 1 = ≈50k users, ≈300k charts, ≈3M planetary positions. Tests use e.g. 0.01. */
  scale?: number;
  onProgress?: (p: SeedProgress) => void;
}

export interface SeedResult {
  seeded: boolean;
  users: number;
  charts: number;
  seconds: number;
}

export interface SeedSizes {
  users: number;
  charts: number;
  cacheRows: number;
  auditRows: number;
}

export function seedSizes(scale: number): SeedSizes {
  const n = (base: number) => Math.max(10, Math.round(base * scale));
  return { users: n(50_000), charts: n(300_000), cacheRows: n(200_000), auditRows: n(100_000) };
}

/** Users are addressed by number: the workload picks `md5('user' || n)::uuid` without a lookup. */
export const USER_ID_SQL = (n: string) => `md5('user' || ${n})::uuid`;

export async function applySchema(client: pg.Client | pg.PoolClient): Promise<void> {
  await client.query(SCHEMA_SQL);
  await client.query(PARTITIONS_SQL);
}

export async function readSeedMarker(client: pg.Client | pg.PoolClient): Promise<{ users: number; charts: number; seconds: number } | null> {
  const exists = await client.query<{ ok: boolean }>(`SELECT to_regclass('demo_seed') IS NOT NULL AS ok`);
  if (!exists.rows[0]?.ok) return null;
  const r = await client.query<{ users: number; charts: number; seconds: number }>(`SELECT users, charts, seconds FROM demo_seed`);
  return r.rows[0] ?? null;
}

const POSITION_BATCHES = 10;

export async function seedDemoData(client: pg.Client | pg.PoolClient, opts: SeedOptions = {}): Promise<SeedResult> {
  const scale = opts.scale ?? 1;
  const started = performance.now();
  const existing = await readSeedMarker(client);
  if (existing) return { seeded: false, users: existing.users, charts: existing.charts, seconds: existing.seconds };

  const sizes = seedSizes(scale);
  const progress = opts.onProgress ?? (() => {});
  // Weights of each step in the overall percentage, proportional to its measured run time.
  const total = 100;
  let done = 0;
  const report = (step: string, rows: number, weight: number) => {
    done += weight;
    progress({ step, rows, pct: Math.min(100, Math.round((done / total) * 100)) });
  };

  // A half-done earlier seed is discarded. The seed data is consistent by construction, so
  // foreign-key triggers are skipped for the bulk load (session_replication_role, superuser).
  await client.query(`TRUNCATE users, birth_charts, planetary_positions, query_cache, audit_log, slow_query_log CASCADE`);
  await client.query(`SET session_replication_role = replica`);
  try {
    await client.query(
      `INSERT INTO users (id, email, name, is_active, created_at, last_login_at)
       SELECT ${USER_ID_SQL("g")}, 'user' || g || '@example.com', 'User ' || g,
              g % 7 <> 0,
              now() - (random() * interval '3 years'),
              now() - (random() * interval '30 days')
       FROM generate_series(1, $1::int) g`,
      [sizes.users],
    );
    report("users", sizes.users, 5);

    await client.query(
      `INSERT INTO birth_charts (id, user_id, name, birth_time, birth_place, latitude, longitude, chart_style, created_at, updated_at)
       SELECT g, ${USER_ID_SQL("(1 + (g::bigint * 7919) % $2::int)")}, 'Chart ' || g,
              now() - (random() * interval '360 days'),
              (ARRAY['Varanasi','Mumbai','Chennai','Kolkata','Delhi','Pune','Jaipur','Ujjain'])[1 + g % 8],
              8 + random() * 25, 68 + random() * 22,
              CASE WHEN g % 5 = 0 THEN 'south_indian' ELSE 'north_indian' END,
              now() - (random() * interval '360 days'), now()
       FROM generate_series(1, $1::int) g`,
      [sizes.charts, sizes.users],
    );
    await client.query(`SELECT setval('birth_charts_id_seq', $1::bigint)`, [sizes.charts]);
    report("birth_charts", sizes.charts, 10);

    // Nine grahas for every chart, plus the ascendant when the birth time is known (9 in 10).
    const per = Math.ceil(sizes.charts / POSITION_BATCHES);
    let positions = 0;
    for (let b = 0; b < POSITION_BATCHES; b++) {
      const r = await client.query(
        `INSERT INTO planetary_positions (birth_chart_id, birth_time, planet, longitude, sign, house, nakshatra, is_retrograde)
         SELECT c.id, c.birth_time, p.planet, p.lon, 1 + floor(p.lon / 30)::int, 1 + (p.i + c.id)::int % 12,
                1 + floor(p.lon * 27 / 360)::int, p.planet IN ('Rahu','Ketu') OR (p.i > 2 AND random() < 0.15)
         FROM birth_charts c
         CROSS JOIN LATERAL (
           -- Referencing c keeps the subquery correlated, so random() is drawn per chart.
           SELECT planet, i, (random() * 359.999 + 0 * c.id)::double precision AS lon
           FROM unnest($3::text[]) WITH ORDINALITY AS u(planet, i)
         ) p
         WHERE c.id > $1 AND c.id <= $2 AND (p.planet <> 'Ascendant' OR c.id % 10 <> 0)`,
        [b * per, (b + 1) * per, PLANETS],
      );
      positions += r.rowCount ?? 0;
      report(`planetary_positions ${b + 1}/${POSITION_BATCHES}`, positions, 55 / POSITION_BATCHES);
    }

    await client.query(
      `INSERT INTO query_cache (cache_key, cache_value, created_at, expires_at)
       SELECT 'chart:' || md5('cache' || g), jsonb_build_object('chart_id', g, 'dasha', 'Vimshottari', 'computed', true),
              now() - (random() * interval '1 hour'), now() + (random() * interval '6 hours')
       FROM generate_series(1, $1::int) g`,
      [sizes.cacheRows],
    );
    report("query_cache", sizes.cacheRows, 12);

    await client.query(
      `INSERT INTO audit_log (table_name, operation, old_data, new_data, user_id, "timestamp")
       SELECT 'birth_charts', (ARRAY['INSERT','UPDATE','DELETE'])[1 + g % 3], NULL,
              jsonb_build_object('chart_id', g), ${USER_ID_SQL("(1 + g % $2::int)")},
              now() - (random() * interval '30 days')
       FROM generate_series(1, $1::int) g`,
      [sizes.auditRows, sizes.users],
    );
    report("audit_log", sizes.auditRows, 5);
  } finally {
    await client.query(`RESET session_replication_role`);
  }

  // VACUUM cannot run inside a transaction block; each call here is its own statement.
  await client.query(`VACUUM ANALYZE users, birth_charts, planetary_positions, query_cache, audit_log`);
  report("vacuum analyze", 0, 100 - done);

  const seconds = (performance.now() - started) / 1000;
  await client.query(`INSERT INTO demo_seed (scale, users, charts, seconds) VALUES ($1, $2, $3, $4)`, [scale, sizes.users, sizes.charts, seconds]);
  return { seeded: true, users: sizes.users, charts: sizes.charts, seconds };
}
