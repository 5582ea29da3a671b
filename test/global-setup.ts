import { chmod, mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import type { TestProject } from "vitest/node";
import { startEmbeddedPostgres, type EmbeddedServer, type PgMajor } from "../lib/embedded/postgres";

// Starts real PostgreSQL servers for the integration tests: 17 always, and every supported
// major (13–18) so each metric definition runs against each. They start in parallel (≈ 2 s).

declare module "vitest" {
  export interface ProvidedContext {
    /** Superuser URL (database "postgres") per major version. */
    pgUrls: Record<string, string>;
  }
}

const MAJORS: PgMajor[] = [13, 14, 15, 16, 17, 18];

export default async function setup(project: TestProject) {
  const root = await mkdtemp(path.join(os.tmpdir(), "pgpulse-test-"));
  // initdb runs as the unprivileged "postgres" user when we are root: it must reach the folder.
  await chmod(root, 0o755);
  const servers: EmbeddedServer[] = await Promise.all(
    MAJORS.map((major) =>
      startEmbeddedPostgres({
        major,
        dataDir: path.join(root, `pg${major}`),
        persistent: false,
        settings: {
          shared_preload_libraries: "pg_stat_statements",
          max_connections: 200,
          "pg_stat_statements.track": "all",
          track_io_timing: "on",
        },
      }),
    ),
  );
  project.provide("pgUrls", Object.fromEntries(servers.map((s) => [String(s.major), s.url()])));
  return async () => {
    await Promise.allSettled(servers.map((s) => s.stop()));
    await rm(root, { recursive: true, force: true });
  };
}
