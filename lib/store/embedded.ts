import "server-only";
import path from "node:path";
import pg from "pg";
import { z } from "zod";
import { exec, one } from "@/lib/db/query";
import { startEmbeddedPostgres } from "@/lib/embedded/postgres";

// The default history store: with no PGPULSE_STORE_URL, pgpulse runs its own PostgreSQL 17 in
// <dataDir>/store-pg, so a first run needs no setup. The data survives restarts (persistent).

export interface DefaultStore {
  url: string;
  port: number;
  stop(): Promise<void>;
}

export async function startDefaultStore(opts: { dataDir: string; port?: number }): Promise<DefaultStore> {
  const server = await startEmbeddedPostgres({
    dataDir: path.join(opts.dataDir, "store-pg"),
    port: opts.port,
    major: 17,
    persistent: true,
    // pgpulse's shutdown flushes its buffers into this server before stopping it.
    ownerStopsOnSignal: true,
    settings: {
      // A small private server: enough connections for the store pool, alerts and delivery.
      max_connections: 50,
      shared_buffers: "128MB",
    },
  });
  try {
    const admin = new pg.Client({ connectionString: server.url("postgres") });
    await admin.connect();
    try {
      const { exists } = await one(admin, z.object({ exists: z.boolean() }), "SELECT EXISTS (SELECT 1 FROM pg_database WHERE datname = 'pgpulse') AS exists");
      if (!exists) await exec(admin, "CREATE DATABASE pgpulse");
    } finally {
      await admin.end();
    }
  } catch (e) {
    await server.stop().catch(() => {});
    throw e;
  }
  return { url: server.url("pgpulse"), port: server.port, stop: () => server.stop() };
}
