import type pg from "pg";

// What the fleet scenario reads from the shared store: who holds which target, and the alert
// episodes and notifications every instance wrote, to be counted once each.

export interface LeaseRow {
  target_id: string;
  holder_name: string;
  live: boolean;
}

export async function readLeases(pool: pg.Pool): Promise<LeaseRow[]> {
  return (await pool.query<LeaseRow>("SELECT target_id, holder_name, expires_at > now() AS live FROM pgpulse.leases")).rows;
}

/** Live leases per instance name; null until every target is leased and no instance holds more than its fair share. */
export async function balancedHolders(pool: pg.Pool, targets: number, instances: number): Promise<Map<string, number> | null> {
  const rows = (await readLeases(pool)).filter((r) => r.live);
  if (rows.length !== targets) return null;
  const per = new Map<string, number>();
  for (const r of rows) per.set(r.holder_name, (per.get(r.holder_name) ?? 0) + 1);
  const share = Math.ceil(targets / instances);
  return per.size === instances && [...per.values()].every((n) => n <= share) ? per : null;
}

export interface OutboxRow {
  idempotency_key: string;
  /** target/rule/object/state the notification announces. */
  about: string;
  status: string;
  attempts: number;
}

export async function readOutbox(pool: pg.Pool): Promise<OutboxRow[]> {
  return (
    await pool.query<OutboxRow>(
      `SELECT idempotency_key, concat_ws('/', payload->'target'->>'id', payload->>'rule', payload->>'object', payload->>'state') AS about, status, attempts
         FROM pgpulse.notification_outbox`,
    )
  ).rows;
}

export interface EpisodeCounts {
  /** target/rule/object → its episodes' states, oldest first. */
  episodes: Map<string, string[]>;
  /** (episode, from → to) transitions written more than once. */
  repeatedTransitions: number;
}

export async function readEpisodes(pool: pg.Pool): Promise<EpisodeCounts> {
  const { rows } = await pool.query<{ k: string; state: string }>(
    "SELECT concat_ws('/', target_id, rule, object_key) AS k, state FROM pgpulse.alerts ORDER BY k, since, id",
  );
  const episodes = new Map<string, string[]>();
  for (const r of rows) episodes.set(r.k, [...(episodes.get(r.k) ?? []), r.state]);
  const repeated = await pool.query<{ n: number }>(
    "SELECT count(*)::int AS n FROM (SELECT 1 FROM pgpulse.alert_events GROUP BY alert_id, from_state, to_state HAVING count(*) > 1) d",
  );
  return { episodes, repeatedTransitions: repeated.rows[0].n };
}
