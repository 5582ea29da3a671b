import { chmod, mkdtemp, rm } from "node:fs/promises";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { freePort, startEmbeddedPostgres } from "./postgres";
import { EmbeddedStartError } from "./start-error";

// A real postmaster on a port another process listens on: the package rejects with no value,
// and pgpulse used to read `.message` of it (a TypeError that hid the cause).

let root: string;
let blocker: net.Server;
let port: number;

beforeAll(async () => {
  root = await mkdtemp(path.join(os.tmpdir(), "pgpulse-port-"));
  // initdb runs as the unprivileged "postgres" user when we are root: it must reach the folder.
  await chmod(root, 0o755);
  port = await freePort();
  blocker = net.createServer();
  await new Promise<void>((resolve) => blocker.listen(port, "127.0.0.1", resolve));
});

afterAll(async () => {
  await new Promise((resolve) => blocker?.close(resolve));
  if (root) await rm(root, { recursive: true, force: true });
});

describe("embedded PostgreSQL on a taken port", () => {
  it("fails with an error that names the port, not a TypeError", async () => {
    const failure = await startEmbeddedPostgres({ dataDir: path.join(root, "pg"), port, persistent: false }).then(
      () => null,
      (e: unknown) => e,
    );
    expect(failure).toBeInstanceOf(EmbeddedStartError);
    expect(failure).toMatchObject({ port, portInUse: true, message: `port ${port} is in use` });
  });
});
