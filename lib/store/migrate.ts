import "server-only";
import type { Pool } from "pg";
import { migrations } from "./migrations";

// Versioned migrations applied at start, each in its own transaction. An advisory lock keeps
// several pgpulse processes sharing one store from applying the same migration twice.

const LOCK_KEY = 0x70677075; // "pgpu"

export async function migrate(pool: Pool): Promise<number[]> {
  const client = await pool.connect();
  const applied: number[] = [];
  try {
    await client.query("SELECT pg_advisory_lock($1)", [LOCK_KEY]);
    await client.query("CREATE SCHEMA IF NOT EXISTS pgpulse");
    await client.query(
      "CREATE TABLE IF NOT EXISTS pgpulse.schema_migrations (id int PRIMARY KEY, name text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())",
    );
    const { rows } = await client.query<{ id: number }>("SELECT id FROM pgpulse.schema_migrations");
    const done = new Set(rows.map((r) => r.id));
    for (const m of [...migrations].sort((a, b) => a.id - b.id)) {
      if (done.has(m.id)) continue;
      await client.query("BEGIN");
      try {
        await client.query(m.sql);
        await client.query("INSERT INTO pgpulse.schema_migrations (id, name) VALUES ($1, $2)", [m.id, m.name]);
        await client.query("COMMIT");
        applied.push(m.id);
      } catch (e) {
        await client.query("ROLLBACK");
        throw new Error(`migration ${m.id} (${m.name}) failed: ${(e as Error).message}`);
      }
    }
  } finally {
    await client.query("SELECT pg_advisory_unlock($1)", [LOCK_KEY]).catch(() => {});
    client.release();
  }
  return applied;
}
