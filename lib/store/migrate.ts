import "server-only";
import type { Pool } from "pg";
import { z } from "zod";
import { exec, many } from "@/lib/db/query";
import { transaction } from "@/lib/db/transaction";
import { migrations } from "./migrations";

// Versioned migrations applied at start, each in its own transaction. An advisory lock keeps
// several pgpulse processes sharing one store from applying the same migration twice.

const LOCK_KEY = 0x70677075; // "pgpu"

const appliedRow = z.object({ id: z.number().int() });

export async function migrate(pool: Pool): Promise<number[]> {
  const client = await pool.connect();
  const applied: number[] = [];
  try {
    await exec(client, "SELECT pg_advisory_lock($1)", [LOCK_KEY]);
    await exec(client, "CREATE SCHEMA IF NOT EXISTS pgpulse");
    await exec(
      client,
      "CREATE TABLE IF NOT EXISTS pgpulse.schema_migrations (id int PRIMARY KEY, name text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())",
    );
    const done = new Set((await many(client, appliedRow, "SELECT id FROM pgpulse.schema_migrations", [], "store: migrations applied")).map((r) => r.id));
    for (const m of [...migrations].sort((a, b) => a.id - b.id)) {
      if (done.has(m.id)) continue;
      try {
        await transaction(client, async () => {
          await exec(client, m.sql);
          await exec(client, "INSERT INTO pgpulse.schema_migrations (id, name) VALUES ($1, $2)", [m.id, m.name]);
        });
        applied.push(m.id);
      } catch (e) {
        throw new Error(`migration ${m.id} (${m.name}) failed: ${(e as Error).message}`);
      }
    }
  } finally {
    await exec(client, "SELECT pg_advisory_unlock($1)", [LOCK_KEY]).catch(() => {});
    client.release();
  }
  return applied;
}
