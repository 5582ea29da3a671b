import { chmod, mkdtemp, readFile, rm } from "node:fs/promises";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import pino from "pino";
import { configSchema, type PgpulseConfig } from "@/lib/config/schema";
import { freePort, startEmbeddedPostgres, type EmbeddedServer } from "@/lib/embedded/postgres";
import { startPgpulse, type Pgpulse, type PgpulseOptions } from "@/lib/server/compose";

// Shared by the fault-injection tests: real PostgreSQL servers a test owns (so it can stop,
// crash and restart them), short cadences, a silent logger, polling waits, and a TCP "target"
// that accepts connections and never answers.

/** Short cadences so two cycles of every task fit in a few seconds. */
export const FAST_INTERVALS: Record<string, number> = {
  server: 1_000,
  stat_activity: 500,
  connections: 1_000,
  db_stats: 1_000,
  db_size: 2_000,
  index_stats: 2_000,
  table_stats: 2_000,
  index_bloat: 3_000,
  slow_queries: 1_000,
};

export const PRELOAD = { shared_preload_libraries: "pg_stat_statements" };

export async function tempRoot(prefix: string): Promise<string> {
  const root = await mkdtemp(path.join(os.tmpdir(), `pgpulse-fault-${prefix}-`));
  // initdb runs as the unprivileged "postgres" user when we are root: it must reach the folder.
  await chmod(root, 0o755);
  return root;
}

export async function removeRoot(root: string | undefined): Promise<void> {
  if (root) await rm(root, { recursive: true, force: true });
}

/** A dedicated PostgreSQL 17 that a test may stop (fast), crash (immediate) and restart. */
export interface FaultServer {
  port: number;
  dataDir: string;
  url(db?: string): string;
  running(): boolean;
  /** Fast shutdown (SIGINT): clients are disconnected, statistics are written out. */
  stop(): Promise<void>;
  /** Immediate shutdown (SIGQUIT to the postmaster): a crash, recovery at next start resets statistics. */
  crash(): Promise<void>;
  start(): Promise<void>;
  /** pid of the running postmaster (from postmaster.pid). */
  postmasterPid(): Promise<number | null>;
}

export async function startFaultServer(root: string, name: string, settings: Record<string, string | number> = {}): Promise<FaultServer> {
  const dataDir = path.join(root, name);
  const port = await freePort();
  let handle: EmbeddedServer | null = null;
  const boot = async () => {
    handle = await startEmbeddedPostgres({ dataDir, port, major: 17, persistent: true, settings });
  };
  await boot();
  const pidOf = async (): Promise<number | null> => {
    try {
      const pid = Number((await readFile(path.join(dataDir, "postmaster.pid"), "utf8")).split("\n")[0]);
      return Number.isFinite(pid) && pid > 0 ? pid : null;
    } catch {
      return null;
    }
  };
  return {
    port,
    dataDir,
    url: (db = "postgres") => `postgres://postgres:postgres@127.0.0.1:${port}/${db}`,
    running: () => handle !== null,
    async stop() {
      const h = handle;
      handle = null;
      await h?.stop();
    },
    async crash() {
      const h = handle;
      if (!h) return;
      const pid = await pidOf();
      if (!pid) throw new Error("no postmaster.pid");
      handle = null;
      process.kill(pid, "SIGQUIT");
      // stop() only waits for the postmaster's exit; the SIGINT it also sends is ignored by a
      // postmaster already in immediate shutdown.
      await h.stop();
    },
    start: boot,
    postmasterPid: pidOf,
  };
}

export const silentLog = () => pino({ level: "silent" });

export function faultConfig(raw: Record<string, unknown>): PgpulseConfig {
  return configSchema.parse(raw);
}

export async function startFaultPgpulse(opts: Partial<PgpulseOptions> & Pick<PgpulseOptions, "config" | "storeUrl">): Promise<Pgpulse> {
  return startPgpulse({ version: "fault-test", log: silentLog(), intervals: FAST_INTERVALS, ...opts });
}

/** Polls until fn returns a truthy value (returned), or throws naming what was awaited. */
export async function until<T>(what: string, fn: () => T | Promise<T>, timeoutMs = 15_000, stepMs = 50): Promise<NonNullable<T>> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const v = await fn();
      if (v) return v as NonNullable<T>;
    } catch (e) {
      last = e;
    }
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${last ? ` (last error: ${String(last)})` : ""}`);
    await new Promise((r) => setTimeout(r, stepMs));
  }
}

export function adminPool(url: string, max = 2): pg.Pool {
  const pool = new pg.Pool({ connectionString: url, max });
  pool.on("error", () => {});
  return pool;
}

/** Sessions pgpulse holds on a server (the collector's application_name). */
export async function pgpulseSessions(pool: pg.Pool, appName = "pgpulse"): Promise<number[]> {
  const { rows } = await pool.query<{ pid: number }>("SELECT pid FROM pg_stat_activity WHERE application_name = $1", [appName]);
  return rows.map((r) => r.pid);
}

/** A TCP server that accepts connections and never says anything: a network stall. */
export async function startStallServer(): Promise<{ port: number; connections(): number; close(): Promise<void> }> {
  const sockets = new Set<net.Socket>();
  let accepted = 0;
  const server = net.createServer((s) => {
    accepted++;
    sockets.add(s);
    s.on("error", () => {});
    s.on("close", () => sockets.delete(s));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    port: (server.address() as net.AddressInfo).port,
    connections: () => accepted,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}

export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
