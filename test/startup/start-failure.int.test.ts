import { spawn } from "node:child_process";
import { writeFile } from "node:fs/promises";
import net from "node:net";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { freePort } from "@/lib/embedded/postgres";
import { removeRoot, tempRoot } from "@/test/faults/support";

// A failed start must end the process (not leave a server answering 500) with one line that says
// what failed and what to change. The child runs the same boot() as instrumentation.ts.

let root: string;
let blocker: net.Server;
let takenPort: number;

beforeAll(async () => {
  root = await tempRoot("boot");
  takenPort = await freePort();
  blocker = net.createServer();
  await new Promise<void>((resolve) => blocker.listen(takenPort, "127.0.0.1", resolve));
});

afterAll(async () => {
  await new Promise((resolve) => blocker?.close(resolve));
  await removeRoot(root);
});

function boot(env: Record<string, string>): Promise<{ code: number | null; stderr: string; stdout: string }> {
  const child = spawn(process.execPath, ["--conditions=react-server", "--import", "tsx", path.resolve("test/startup/boot-child.ts")], {
    cwd: path.resolve("."),
    env: { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "/root", NODE_ENV: "production", PGPULSE_LOG_LEVEL: "warn", HOSTNAME: "127.0.0.1", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
  child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
  return new Promise((resolve) => child.on("exit", (code) => resolve({ code, stderr, stdout })));
}

describe("a failed start", () => {
  it("exits 1 naming the taken store port and the fix", async () => {
    const r = await boot({ PGPULSE_DATA_DIR: path.join(root, "data"), PGPULSE_STORE_PORT: String(takenPort) });
    expect(r.code, r.stderr).toBe(1);
    expect(r.stderr.trim().split("\n")).toContain(
      `pgpulse could not start: port ${takenPort} is in use (the embedded history store). Stop what uses it, or set PGPULSE_STORE_PORT / PGPULSE_STORE_URL.`,
    );
    expect(r.stderr).not.toContain("TypeError");
  });

  it("exits 1 when the data directory is a file", async () => {
    const file = path.join(root, "not-a-dir");
    await writeFile(file, "");
    const r = await boot({ PGPULSE_DATA_DIR: file, PGPULSE_STORE_PORT: String(await freePort()) });
    expect(r.code, r.stderr).toBe(1);
    expect(r.stderr).toMatch(new RegExp(`^pgpulse could not start: the data directory is unusable: ${file}.* \\(E[A-Z]+\\)\\. Make it a writable folder`, "m"));
  });

  it("exits 1 naming an invalid environment variable", async () => {
    const r = await boot({ PGPULSE_STORE_PORT: "80" });
    expect(r.code, r.stderr).toBe(1);
    expect(r.stderr.trim()).toBe(
      "pgpulse could not start: Invalid environment: PGPULSE_STORE_PORT: Too small: expected number to be >=1024. Fix or unset the variables named (docs/CONFIG.md).",
    );
  });
});
