import { spawn } from "node:child_process";
import { chmod, mkdtemp, readFile, rm } from "node:fs/promises";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import pino from "pino";
import { configSchema, type PgpulseConfig } from "@/lib/config/schema";
import { startRestartablePostgres, type RestartableServer } from "@/lib/embedded/postgres";
import { startPgpulse, type Pgpulse, type PgpulseOptions } from "@/lib/server/wiring/compose";
import { FAULT_LINE_PREFIX } from "./child-protocol";

export { until } from "@/test/support/wait";

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
export interface FaultServer extends RestartableServer {
  dataDir: string;
  /** Immediate shutdown (SIGQUIT to the postmaster): a crash, recovery at next start resets statistics. */
  crash(): Promise<void>;
  /** pid of the running postmaster (from postmaster.pid). */
  postmasterPid(): Promise<number | null>;
}

export async function startFaultServer(root: string, name: string, settings: Record<string, string | number> = {}): Promise<FaultServer> {
  const dataDir = path.join(root, name);
  const server = await startRestartablePostgres({ dataDir, major: 17, settings });
  const pidOf = async (): Promise<number | null> => {
    try {
      const pid = Number((await readFile(path.join(dataDir, "postmaster.pid"), "utf8")).split("\n")[0]);
      return Number.isFinite(pid) && pid > 0 ? pid : null;
    } catch {
      return null;
    }
  };
  return {
    ...server,
    dataDir,
    async crash() {
      if (!server.running()) return;
      const pid = await pidOf();
      if (!pid) throw new Error("no postmaster.pid");
      process.kill(pid, "SIGQUIT");
      // stop() only waits for the postmaster's exit; the SIGINT it also sends is ignored by a
      // postmaster already in immediate shutdown.
      await server.stop();
    },
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

/**
 * A TCP proxy in front of a real server that can "freeze": bytes stop flowing both ways on open
 * connections and new ones are accepted but never connected — a network stall mid-session.
 */
export async function startFreezableProxy(upstreamPort: number): Promise<{ port: number; freeze(): void; thaw(): void; close(): Promise<void> }> {
  let frozen = false;
  const pairs = new Set<[net.Socket, net.Socket | null]>();
  const server = net.createServer((client) => {
    client.on("error", () => {});
    if (frozen) {
      pairs.add([client, null]);
      return;
    }
    const upstream = net.connect(upstreamPort, "127.0.0.1");
    upstream.on("error", () => client.destroy());
    const pair: [net.Socket, net.Socket | null] = [client, upstream];
    pairs.add(pair);
    client.on("data", (d) => {
      if (!frozen) upstream.write(d);
    });
    upstream.on("data", (d) => {
      if (!frozen) client.write(d);
    });
    client.on("close", () => {
      upstream.destroy();
      pairs.delete(pair);
    });
    upstream.on("close", () => {
      if (!frozen) client.destroy();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    port: (server.address() as net.AddressInfo).port,
    freeze: () => {
      frozen = true;
    },
    thaw: () => {
      // Connections caught in the stall are gone for good, as after a real network cut.
      for (const [c, u] of pairs) {
        c.destroy();
        u?.destroy();
      }
      pairs.clear();
      frozen = false;
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const [c, u] of pairs) {
          c.destroy();
          u?.destroy();
        }
        server.close(() => resolve());
      }),
  };
}

export interface SeenResult {
  targetId: string;
  metric: string;
  status: string;
  ts: number;
  at: number;
  error?: string;
  up?: number;
  durationMs?: number;
  rows?: Record<string, unknown>[];
}

/**
 * Records every result the collectors hand to the history store (its accept is looked up at
 * each call, so wrapping it sees them all) without changing what the store does.
 */
export function spyResults(rt: Pgpulse, keepRows = false): SeenResult[] {
  const seen: SeenResult[] = [];
  const accept = rt.store.accept.bind(rt.store);
  rt.store.accept = (r) => {
    seen.push({
      targetId: r.targetId,
      metric: r.metric,
      status: r.status,
      ts: r.ts.getTime(),
      at: Date.now(),
      // An up=0 mark carries its probe's error in its row.
      error: r.status === "error" ? r.error : r.metric === "up" && r.status === "ok" ? (r.rows[0]?.error as string | null) ?? undefined : undefined,
      up: r.metric === "up" && r.status === "ok" ? Number(r.rows[0]?.up) : undefined,
      durationMs: r.status === "unavailable" ? undefined : r.durationMs,
      rows: keepRows && r.status === "ok" ? r.rows : undefined,
    });
    accept(r);
  };
  return seen;
}

/** Longest gap between consecutive ok results of one metric of one target within [from, to]. */
export function longestGap(seen: SeenResult[], targetId: string, metric: string, from: number, to: number): number {
  const ts = seen.filter((s) => s.targetId === targetId && s.metric === metric && s.status === "ok" && s.at >= from && s.at <= to).map((s) => s.at);
  if (ts.length < 2) return Infinity;
  let gap = ts[0] - from;
  for (let i = 1; i < ts.length; i++) gap = Math.max(gap, ts[i] - ts[i - 1]);
  return Math.max(gap, to - ts[ts.length - 1]);
}

export interface ChildPgpulse {
  pid: number;
  lines: Array<Record<string, unknown>>;
  output(): string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  ready: Promise<void>;
}

/**
 * Starts test/faults/child-pgpulse.ts (or another script speaking its "FAULT " lines, such as the
 * fleet bench's) with the given environment (tsx loader, react-server conditions).
 */
export function startChildPgpulse(env: Record<string, string>, script = "test/faults/child-pgpulse.ts"): ChildPgpulse {
  // node itself with tsx as a loader, not the tsx wrapper: the wrapper would take the SIGKILL
  // and leave the real pgpulse process running.
  const child = spawn(process.execPath, ["--conditions=react-server", "--import", "tsx", path.resolve(script)], {
    cwd: path.resolve("."),
    env: { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "/root", NODE_ENV: "production", PGPULSE_LOG_LEVEL: "warn", HOSTNAME: "127.0.0.1", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  const lines: Array<Record<string, unknown>> = [];
  let out = "";
  let buf = "";
  let onReady: () => void;
  let onFail: (e: Error) => void;
  const ready = new Promise<void>((resolve, reject) => {
    onReady = resolve;
    onFail = reject;
  });
  child.stdout.on("data", (d: Buffer) => {
    buf += d.toString();
    let i: number;
    while ((i = buf.indexOf("\n")) >= 0) {
      const line = buf.slice(0, i);
      buf = buf.slice(i + 1);
      if (line.startsWith(FAULT_LINE_PREFIX)) {
        const obj = JSON.parse(line.slice(FAULT_LINE_PREFIX.length)) as Record<string, unknown>;
        lines.push(obj);
        if (obj.ready) onReady();
      } else out += `${line}\n`;
    }
  });
  child.stderr.on("data", (d: Buffer) => (out += d.toString()));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.on("exit", (code, signal) => {
      onFail(new Error(`child exited (${code ?? signal}) before it was ready:\n${out}`));
      resolve({ code, signal });
    }),
  );
  return { pid: child.pid!, lines, output: () => out, exited, ready };
}
