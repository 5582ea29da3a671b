import { defineConfig } from "@playwright/test";
import { CHROMIUM_LAUNCH } from "./e2e/fixtures/chromium";
import { SEC_APP_PORT, SEC_METRICS_TOKEN, SEC_SESSION_SECRET, SEC_STORE_URL, writeSecurityConfig } from "./e2e/fixtures/security-config";
import { e2eSuperuserUrl } from "./e2e/fixtures/target-config";

// End-to-end tests in a real Chromium (Debian's, not a downloaded build) against `next start`,
// with a real embedded PostgreSQL target prepared by e2e/fixtures/target-server.ts.

const APP_PORT = Number(process.env.E2E_APP_PORT ?? 3100);
const PG_PORT = Number(process.env.E2E_PG_PORT ?? 55433);
const READY_PORT = PG_PORT + 1;

export default defineConfig({
  testDir: "e2e",
  timeout: 90_000,
  expect: { timeout: 45_000 },
  fullyParallel: false,
  workers: 1,
  forbidOnly: !!process.env.CI,
  retries: process.env.CI ? 1 : 0,
  reporter: [["list"]],
  use: {
    baseURL: `http://127.0.0.1:${APP_PORT}`,
    trace: "on-first-retry",
    launchOptions: CHROMIUM_LAUNCH,
  },
  webServer: [
    {
      command: `node_modules/.bin/tsx --conditions=react-server e2e/fixtures/target-server.ts`,
      url: `http://127.0.0.1:${READY_PORT}/ready`,
      env: { E2E_PG_PORT: String(PG_PORT) },
      timeout: 180_000,
      reuseExistingServer: false,
      gracefulShutdown: { signal: "SIGTERM", timeout: 10_000 },
      stdout: "pipe",
    },
    {
      command: `node_modules/.bin/next start -H 127.0.0.1 -p ${APP_PORT}`,
      url: `http://127.0.0.1:${APP_PORT}/api/health`,
      env: {
        DATABASE_URL: `postgres://pgpulse_monitor:e2e-monitor-pw@127.0.0.1:${PG_PORT}/kundli_db`,
        PGPULSE_STORE_URL: e2eSuperuserUrl("pgpulse"),
        PGPULSE_DATA_DIR: ".pgpulse/e2e",
        PGPULSE_LOG_LEVEL: "warn",
        // Short cadences for the slow tasks, so specs see a new index or statement in seconds.
        PGPULSE_INTERVALS: JSON.stringify({ table_stats: 5_000, index_stats: 5_000, index_bloat: 5_000, slow_queries: 3_000, sequences: 3_000, vacuum_progress: 2_000, checkpoints: 3_000 }),
      },
      timeout: 60_000,
      reuseExistingServer: false,
      gracefulShutdown: { signal: "SIGTERM", timeout: 10_000 },
    },
    {
      // The same build with built-in sign-in (three users) for e2e/security.spec.ts.
      command: `node_modules/.bin/next start -H 127.0.0.1 -p ${SEC_APP_PORT}`,
      url: `http://127.0.0.1:${SEC_APP_PORT}/api/health`,
      env: {
        PGPULSE_CONFIG: writeSecurityConfig(),
        PGPULSE_SESSION_SECRET: SEC_SESSION_SECRET,
        PGPULSE_METRICS_TOKEN: SEC_METRICS_TOKEN,
        PGPULSE_STORE_URL: SEC_STORE_URL,
        PGPULSE_COLLECTOR: "1",
        PGPULSE_DATA_DIR: ".pgpulse/e2e-sec",
        PGPULSE_LOG_LEVEL: "warn",
      },
      timeout: 60_000,
      reuseExistingServer: false,
      gracefulShutdown: { signal: "SIGTERM", timeout: 10_000 },
    },
  ],
});
