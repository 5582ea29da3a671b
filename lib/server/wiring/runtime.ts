import "server-only";
import path from "node:path";
import pkg from "@/package.json";
import { env } from "@/lib/env";
import { DomainError } from "@/lib/errors";
import { loadConfig } from "@/lib/config/load";
import { startDefaultStore } from "@/lib/store/embedded";
import { startAuth } from "@/lib/auth/startup";
import { logger, scrubSecrets } from "@/lib/log";
import { startPgpulse, type Pgpulse } from "./compose";

// The one long-lived object of the server process. Route handlers and instrumentation are
// bundled separately, so it lives on globalThis.

export type Runtime = Pgpulse;

const KEY = Symbol.for("pgpulse.runtime");
const STARTING = Symbol.for("pgpulse.runtime.starting");
type Holder = { [KEY]?: Runtime; [STARTING]?: Promise<Runtime> };
const holder = globalThis as unknown as Holder;

export class RuntimeNotReadyError extends DomainError {
  constructor() {
    super(503, "pgpulse is starting; try again in a moment", { headers: { "retry-after": "2" } });
  }
}

export function getRuntime(): Runtime {
  const rt = holder[KEY];
  if (!rt) throw new RuntimeNotReadyError();
  return rt;
}

/** The runtime once started, else null (for observers that must not throw while it starts). */
export function runtimeIfStarted(): Runtime | null {
  return holder[KEY] ?? null;
}

/**
 * The seam for tests that call route handlers directly: they build a runtime with startPgpulse
 * and hand it in here; undefined takes it away again. The server never calls it.
 */
export function setRuntimeForTests(rt: Runtime | undefined): void {
  if (rt) holder[KEY] = rt;
  else delete holder[KEY];
}

export function startRuntimeOnce(): Promise<Runtime> {
  holder[STARTING] ??= startRuntime().then((rt) => (holder[KEY] = rt));
  return holder[STARTING];
}

async function startRuntime(): Promise<Runtime> {
  const e = env();
  const log = logger();
  startAuth();
  const config = loadConfig({
    configPath: e.PGPULSE_CONFIG,
    databaseUrl: e.DATABASE_URL,
    demoTableSizeBytes: e.PGPULSE_DEMO ? e.PGPULSE_DEMO_TABLE_SIZE_BYTES : undefined,
  });
  if (config.targets.length === 0) {
    log.warn("no target configured: set DATABASE_URL or list targets in pgpulse.config.json (npm run demo starts one)");
  }

  let storeUrl = e.PGPULSE_STORE_URL;
  let onStop: (() => Promise<void>) | undefined;
  if (!storeUrl) {
    const embedded = await startDefaultStore({ dataDir: path.resolve(e.PGPULSE_DATA_DIR), port: e.PGPULSE_STORE_PORT });
    storeUrl = embedded.url;
    onStop = embedded.stop;
    log.info({ port: e.PGPULSE_STORE_PORT }, "embedded history store started");
  }

  const rt = await startPgpulse({
    config,
    storeUrl,
    version: pkg.version,
    demo: e.PGPULSE_DEMO,
    log,
    collect: e.PGPULSE_COLLECTOR,
    intervals: e.PGPULSE_INTERVALS,
    instanceName: e.PGPULSE_INSTANCE_NAME,
    leaseTtlMs: e.PGPULSE_LEASE_TTL_MS,
    onStop,
  });

  for (const signal of ["SIGTERM", "SIGINT"] as const) {
    process.once(signal, () => {
      log.info({ signal }, "shutting down");
      rt.stop().finally(() => process.exit(0));
    });
  }
  process.on("unhandledRejection", (reason) => {
    log.error({ err: { message: scrubSecrets(String((reason as Error)?.message ?? reason)) } }, "unhandled rejection");
  });
  return rt;
}
