import { execFile, spawnSync } from "node:child_process";
import { existsSync, readdirSync } from "node:fs";
import { chown, mkdir, writeFile } from "node:fs/promises";
import net from "node:net";
import path from "node:path";
import { promisify } from "node:util";

// A throw-away cluster from the distribution's PostgreSQL packages, for what the embedded
// binaries cannot show: they are built without LLVM, so JIT (on by default in packaged builds)
// never runs there. initdb refuses to run as root, so as root every server command runs as the
// package's `postgres` OS user, in a temporary directory that user owns.

const run = promisify(execFile);

export interface DebianCluster {
  binDir: string;
  port: number;
  url(database: string, user?: string): string;
  stop(): Promise<void>;
}

/** The newest /usr/lib/postgresql/<major>/bin with initdb, or the one PGPULSE_BENCH_PG_BIN names. */
export function findPostgresBin(preferred = process.env.PGPULSE_BENCH_PG_BIN): string | null {
  if (preferred) return existsSync(path.join(preferred, "initdb")) ? preferred : null;
  const root = "/usr/lib/postgresql";
  if (!existsSync(root)) return null;
  const majors = readdirSync(root).filter((d) => /^\d+$/.test(d)).sort((a, b) => Number(b) - Number(a));
  const found = majors.map((m) => path.join(root, m, "bin")).find((bin) => existsSync(path.join(bin, "initdb")));
  return found ?? null;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once("error", reject);
    s.listen(0, "127.0.0.1", () => {
      const port = (s.address() as net.AddressInfo).port;
      s.close(() => resolve(port));
    });
  });
}

const asRoot = process.getuid?.() === 0;

function osUserIds(name: string): { uid: number; gid: number } {
  const id = (flag: string) => Number(spawnSync("id", [flag, name], { encoding: "utf8" }).stdout.trim());
  return { uid: id("-u"), gid: id("-g") };
}

/** Runs a server binary, as the `postgres` OS user when we are root. */
function pgCommand(binDir: string, tool: string, args: string[]) {
  const bin = path.join(binDir, tool);
  return asRoot ? run("runuser", ["-u", "postgres", "--", bin, ...args]) : run(bin, args);
}

export async function startDebianCluster(root: string, binDir: string, settings: Record<string, string>): Promise<DebianCluster> {
  const dataDir = path.join(root, "data");
  await mkdir(dataDir, { recursive: true });
  if (asRoot) {
    const { uid, gid } = osUserIds("postgres");
    await chown(root, uid, gid);
    await chown(dataDir, uid, gid);
  }
  // Trust on loopback only: the cluster lives for one run, on a random port.
  await pgCommand(binDir, "initdb", ["-D", dataDir, "-U", "postgres", "--auth=trust", "-E", "UTF8", "--no-locale"]);
  const port = await freePort();
  const conf = Object.entries({
    port: String(port),
    listen_addresses: "127.0.0.1",
    unix_socket_directories: root,
    ...settings,
  }).map(([k, v]) => `${k} = '${v}'`);
  await writeFile(path.join(dataDir, "postgresql.auto.conf"), conf.join("\n") + "\n");
  if (asRoot) {
    const { uid, gid } = osUserIds("postgres");
    await chown(path.join(dataDir, "postgresql.auto.conf"), uid, gid);
  }
  await pgCommand(binDir, "pg_ctl", ["-D", dataDir, "-l", path.join(root, "server.log"), "-w", "-t", "60", "start"]);
  return {
    binDir,
    port,
    url: (database, user = "postgres") => `postgres://${user}@127.0.0.1:${port}/${database}`,
    stop: async () => {
      await pgCommand(binDir, "pg_ctl", ["-D", dataDir, "-m", "fast", "-w", "stop"]);
    },
  };
}
