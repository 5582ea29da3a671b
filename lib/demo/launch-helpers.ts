import { spawn, type ChildProcess } from "node:child_process";
import { existsSync, readdirSync, statSync } from "node:fs";
import net from "node:net";
import path from "node:path";

// Small process and network helpers for the demo launcher.

/** True when something already listens on 127.0.0.1:port. */
export function portInUse(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const srv = net.createServer();
    srv.once("error", () => resolve(true));
    srv.listen(port, "127.0.0.1", () => srv.close(() => resolve(false)));
  });
}

export function runToCompletion(cmd: string, args: string[], env: NodeJS.ProcessEnv): Promise<number> {
  return new Promise((resolve) => {
    const child = spawn(cmd, args, { stdio: "inherit", env });
    child.on("error", () => resolve(127));
    child.on("exit", (code, signal) => resolve(code ?? (signal ? 128 : 1)));
  });
}

/** Spawns a long-running child whose output lines are prefixed, e.g. "[next] ". */
export function spawnPrefixed(cmd: string, args: string[], env: NodeJS.ProcessEnv, prefix: string): ChildProcess {
  const child = spawn(cmd, args, { stdio: ["ignore", "pipe", "pipe"], env });
  const pipe = (stream: NodeJS.ReadableStream | null, out: NodeJS.WritableStream) => {
    let buf = "";
    stream?.on("data", (chunk: Buffer) => {
      buf += chunk.toString("utf8");
      const lines = buf.split("\n");
      buf = lines.pop() ?? "";
      for (const l of lines) out.write(`${prefix}${l}\n`);
    });
  };
  pipe(child.stdout, process.stdout);
  pipe(child.stderr, process.stderr);
  return child;
}

/** Stops a child by its PID: SIGTERM, then SIGKILL after `graceMs`. */
export function stopChild(child: ChildProcess, graceMs = 8_000): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
    }, graceMs);
    child.once("exit", () => {
      clearTimeout(timer);
      resolve();
    });
    child.kill("SIGTERM");
  });
}

export type HealthState = "ready" | "up" | "down";

/** 200 → ready; 404 → the server is up but has no health route yet. */
export async function checkHealth(url: string): Promise<HealthState> {
  try {
    const res = await fetch(url, { signal: AbortSignal.timeout(2_000) });
    await res.body?.cancel();
    if (res.status === 200) return "ready";
    if (res.status === 404) return "up";
    return "down";
  } catch {
    return "down";
  }
}

export async function waitForHealth(url: string, timeoutMs: number, isAlive: () => boolean): Promise<HealthState> {
  const until = Date.now() + timeoutMs;
  while (Date.now() < until && isAlive()) {
    const s = await checkHealth(url);
    if (s !== "down") return s;
    await new Promise((r) => setTimeout(r, 500));
  }
  return "down";
}

/** PostgreSQL removes postmaster.pid on a clean shutdown. */
export function postgresRunning(dataDir: string): boolean {
  return existsSync(`${dataDir}/postmaster.pid`);
}

const SOURCE_ROOTS = ["app", "components", "lib", "public", "proxy.ts", "instrumentation.ts", "next.config.js", "package-lock.json"];

/**
 * True when there is no production build, or a source file changed after it was made: a
 * stale build would show old pages against new code after a `git pull`.
 */
export function buildIsStale(root = "."): boolean {
  const buildId = path.join(root, ".next", "BUILD_ID");
  if (!existsSync(buildId)) return true;
  const builtAt = statSync(buildId).mtimeMs;
  const newer = (p: string): boolean => {
    if (!existsSync(p)) return false;
    const st = statSync(p);
    if (!st.isDirectory()) return st.mtimeMs > builtAt;
    return readdirSync(p).some((name) => newer(path.join(p, name)));
  };
  return SOURCE_ROOTS.some((r) => newer(path.join(root, r)));
}
