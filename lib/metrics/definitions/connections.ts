import { z } from "zod";
import { defineMetric } from "../define";

// Connection slots. max_connections caps client backends only (autovacuum, background workers
// and walsenders have their own slots), and the reserved slots are not usable by an ordinary
// application role: saturation is measured against max - reserved. pgpulse's own sessions count,
// they hold slots too.

function sql(reserved: string): string {
  return `/* pgpulse */
WITH s AS (
  SELECT
    current_setting('max_connections')::int AS max_connections,
    current_setting('superuser_reserved_connections')::int AS superuser_reserved_connections,
    ${reserved} AS reserved_connections
), c AS (
  SELECT
    count(*)::int AS total,
    count(*) FILTER (WHERE a.state = 'active')::int AS active,
    count(*) FILTER (WHERE a.state = 'idle')::int AS idle,
    count(*) FILTER (WHERE a.state = 'idle in transaction')::int AS idle_in_transaction,
    count(*) FILTER (WHERE a.state = 'idle in transaction (aborted)')::int AS idle_in_transaction_aborted,
    -- Every other state: fastpath function call, disabled, starting (PostgreSQL 18: a session
    -- still authenticating), and any a later version adds; so the parts always sum to total.
    count(*) FILTER (WHERE a.state NOT IN ('active', 'idle', 'idle in transaction', 'idle in transaction (aborted)'))::int AS other,
    -- Other users' sessions without pg_read_all_stats: counted, state unknown.
    count(*) FILTER (WHERE a.state IS NULL)::int AS unknown
  FROM pg_stat_activity a
  WHERE a.backend_type = 'client backend'
     OR (a.backend_type IS NULL AND a.datid IS NOT NULL AND a.usesysid IS NOT NULL)
)
SELECT s.*, c.*,
  s.max_connections - s.superuser_reserved_connections - coalesce(s.reserved_connections, 0) AS usable,
  c.total::float8 / nullif(s.max_connections - s.superuser_reserved_connections - coalesce(s.reserved_connections, 0), 0) AS saturation
FROM s, c`;
}

const count = z.number().int().nonnegative();

const row = z.object({
  max_connections: count,
  superuser_reserved_connections: count,
  /** PG 16+; null before (the setting does not exist). */
  reserved_connections: count.nullable(),
  total: count,
  active: count,
  idle: count,
  idle_in_transaction: count,
  idle_in_transaction_aborted: count,
  other: count,
  unknown: count,
  usable: z.number().int(),
  /** total / usable, 0..1 (can pass 1 when superusers use their reserved slots). */
  saturation: z.number().nonnegative().nullable(),
});

export type ConnectionsRow = z.infer<typeof row>;

export const connections = defineMetric<ConnectionsRow>({
  id: "connections",
  description: "Client connections by state against the usable connection slots",
  scope: "cluster",
  lane: "live",
  intervalMs: 15_000,
  timeoutMs: 2_000,
  sql: {
    130000: sql("NULL::int"),
    160000: sql("current_setting('reserved_connections')::int"),
  },
  row,
  labels: [],
  counters: [],
  gauges: [
    "max_connections", "superuser_reserved_connections", "reserved_connections", "total", "active", "idle",
    "idle_in_transaction", "idle_in_transaction_aborted", "other", "unknown", "usable", "saturation",
  ],
  exposed: true,
});
