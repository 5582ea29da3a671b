import "server-only";
import type { Pool, PoolClient } from "pg";
import { z } from "zod";
import { exec, many } from "@/lib/db/query";

// The lease table's statements. Expiry is always computed by the store (now() + ttl), so the
// instances' own clocks never decide who holds a target.

export interface Identity {
  /** Random per process: a restarted instance is a new holder, never its own ghost. */
  id: string;
  /** Readable: PGPULSE_INSTANCE_NAME, else the host name. */
  name: string;
}

const ttl = "($3::bigint * interval '1 millisecond')";

export async function heartbeat(pool: Pool, me: Identity, ttlMs: number): Promise<void> {
  await exec(
    pool,
    `INSERT INTO pgpulse.instances (id, name, expires_at) VALUES ($1, $2, now() + ${ttl})
     ON CONFLICT (id) DO UPDATE SET name = EXCLUDED.name, heartbeat_at = now(), expires_at = EXCLUDED.expires_at`,
    [me.id, me.name, ttlMs],
  );
}

const renewedRow = z.object({ target_id: z.string(), epoch: z.number() });

/**
 * Extends the leases still ours (same holder, same epoch); returns those. The rest were taken.
 * Each row also takes the target's last sample time here (never moved back): the other
 * instances show it, and the row is rewritten at every tick anyway.
 */
export async function renew(
  pool: Pool,
  me: Identity,
  ttlMs: number,
  held: ReadonlyMap<string, number>,
  lastSampleAt: (targetId: string) => Date | null = () => null,
): Promise<Map<string, number>> {
  if (held.size === 0) return new Map();
  const ids = [...held.keys()];
  const rows = await many(
    pool,
    renewedRow,
    `UPDATE pgpulse.leases l SET renewed_at = now(), expires_at = now() + ${ttl},
            last_sample_at = greatest(l.last_sample_at, h.last_sample_at)
       FROM unnest($2::text[], $4::bigint[], $5::timestamptz[]) AS h(target_id, epoch, last_sample_at)
      WHERE l.target_id = h.target_id AND l.epoch = h.epoch AND l.holder = $1
     RETURNING l.target_id, l.epoch`,
    [me.id, ids, ttlMs, [...held.values()], ids.map((t) => lastSampleAt(t)?.toISOString() ?? null)],
    "leases: renew",
  );
  return new Map(rows.map((r) => [r.target_id, r.epoch]));
}

/**
 * Takes, in one statement, those of these targets whose lease is missing or expired; returns
 * their new epochs (the others are held by another instance). Rows are visited in target order,
 * so two instances racing for overlapping batches lock them in the same order and never deadlock.
 */
export async function acquire(pool: Pool, me: Identity, ttlMs: number, targetIds: readonly string[]): Promise<Map<string, number>> {
  if (targetIds.length === 0) return new Map();
  const rows = await many(
    pool,
    renewedRow,
    `INSERT INTO pgpulse.leases AS l (target_id, holder, holder_name, expires_at)
     SELECT t, $1, $2, now() + ${ttl} FROM unnest($4::text[]) AS t ORDER BY t
     ON CONFLICT (target_id) DO UPDATE
        SET holder = EXCLUDED.holder, holder_name = EXCLUDED.holder_name, epoch = l.epoch + 1,
            acquired_at = now(), renewed_at = now(), expires_at = EXCLUDED.expires_at
      WHERE l.expires_at <= now()
     RETURNING l.target_id, l.epoch`,
    [me.id, me.name, ttlMs, [...targetIds].sort()],
    "leases: acquire",
  );
  return new Map(rows.map((r) => [r.target_id, r.epoch]));
}

/** Ends our leases on these targets now, so another instance takes them at its next tick. */
export async function release(pool: Pool, me: Identity, targetIds: readonly string[]): Promise<void> {
  if (targetIds.length === 0) return;
  await exec(pool, `UPDATE pgpulse.leases SET expires_at = now() WHERE holder = $1 AND target_id = ANY($2::text[])`, [me.id, targetIds]);
}

/** A stopping instance leaves the fleet at once instead of when its heartbeat expires. */
export async function leave(pool: Pool, me: Identity): Promise<void> {
  await exec(pool, `DELETE FROM pgpulse.instances WHERE id = $1`, [me.id]);
}

const leaseRow = z.object({
  target_id: z.string(),
  holder: z.string(),
  holder_name: z.string(),
  epoch: z.number(),
  live: z.boolean(),
  last_sample_at: z.date().nullable(),
  /** From the newest row of target_up_changes (null: none yet): the state its holder last recorded. */
  up: z.boolean().nullable(),
  /** When down: the first down row after the last up row, the start of the outage. */
  down_since: z.date().nullable(),
  error: z.string().nullable(),
  server_version: z.string().nullable(),
  role: z.enum(["primary", "standby"]).nullable(),
});
const instanceRow = z.object({ id: z.string(), name: z.string(), started_at: z.date(), heartbeat_at: z.date() });

export type LeaseRow = z.infer<typeof leaseRow>;
export type InstanceRow = z.infer<typeof instanceRow>;

/**
 * The whole fleet as the store sees it: every lease with its target's recorded state, and the
 * instances whose heartbeat is live. One read serves the lease plan, /api/health and the fleet
 * list; the state is a few index probes per lease (the newest change, and the outage's start).
 */
export async function readFleet(pool: Pool): Promise<{ leases: LeaseRow[]; instances: InstanceRow[] }> {
  const [leases, instances] = await Promise.all([
    many(
      pool,
      leaseRow,
      `SELECT l.target_id, l.holder, l.holder_name, l.epoch, l.expires_at > now() AS live, l.last_sample_at,
              c.up, d.since AS down_since, c.error, c.server_version, c.role
         FROM pgpulse.leases l
         LEFT JOIN LATERAL (
           SELECT up, ts, error, server_version, role FROM pgpulse.target_up_changes
            WHERE target_id = l.target_id ORDER BY ts DESC LIMIT 1
         ) c ON true
         LEFT JOIN LATERAL (
           SELECT min(o.ts) AS since FROM pgpulse.target_up_changes o
            WHERE NOT c.up AND o.target_id = l.target_id
              AND o.ts > coalesce((SELECT max(u.ts) FROM pgpulse.target_up_changes u WHERE u.target_id = l.target_id AND u.up), '-infinity')
         ) d ON true
        ORDER BY l.target_id`,
      [],
      "leases: read",
    ),
    many(pool, instanceRow, `SELECT id, name, started_at, heartbeat_at FROM pgpulse.instances WHERE expires_at > now() ORDER BY started_at, id`, [], "instances: read"),
  ]);
  return { leases, instances };
}

/** Rows of instances gone for a day: kept that long so /api/health can say who held what last. */
export async function forgetOldInstances(pool: Pool): Promise<void> {
  await exec(pool, `DELETE FROM pgpulse.instances WHERE expires_at < now() - interval '1 day'`);
}

export interface FenceToken {
  targetId: string;
  holder: string;
  epoch: number;
}

const fencedRow = z.object({ target_id: z.string() });

/**
 * Inside a write transaction: which of these targets are still ours at this epoch. FOR SHARE
 * holds the lease rows until commit, so a takeover (an UPDATE of the row) waits for this
 * transaction, and the new holder, which loads open alerts after it took the lease, sees it.
 */
export async function confirmLeases(client: PoolClient, tokens: readonly FenceToken[]): Promise<Set<string>> {
  if (tokens.length === 0) return new Set();
  const rows = await many(
    client,
    fencedRow,
    `SELECT l.target_id FROM pgpulse.leases l
       JOIN unnest($1::text[], $2::text[], $3::bigint[]) AS t(target_id, holder, epoch)
         ON l.target_id = t.target_id AND l.holder = t.holder AND l.epoch = t.epoch
        FOR SHARE OF l`,
    [tokens.map((t) => t.targetId), tokens.map((t) => t.holder), tokens.map((t) => t.epoch)],
    "leases: confirm",
  );
  return new Set(rows.map((r) => r.target_id));
}
