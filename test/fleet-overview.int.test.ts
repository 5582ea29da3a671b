import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { OverviewTarget } from "@/lib/api/overview";
import type { Pgpulse } from "@/lib/server/wiring/compose";
import { overviewView } from "@/lib/server/views/overview-read";
import { createTestDatabase, type TestDatabase } from "@/test/db";
import { faultConfig, startFaultPgpulse, until } from "@/test/faults/support";

// Two pgpulse instances on one store: "collector" polls every target, "pages" polls none
// (PGPULSE_COLLECTOR=0). The fleet overview of either tells the same status for every target:
// the pages instance reads it from the store (lease holder, up/down transitions, series,
// alerts) instead of calling a target it does not poll down or unknown.

let store: TestDatabase;
let a: TestDatabase;
let b: TestDatabase;
let collector: Pgpulse;
let pages: Pgpulse;

beforeAll(async () => {
  [store, a, b] = await Promise.all([createTestDatabase(17, "fleet_store"), createTestDatabase(17, "fleet_a"), createTestDatabase(17, "fleet_b")]);
  const config = () =>
    faultConfig({
      targets: [
        { id: "alpha", name: "alpha", url: a.url, tags: { env: "prod" } },
        { id: "bravo", name: "bravo", url: b.url, tags: { env: "dev" } },
        // Nothing listens on port 1: refused at once, a down target.
        { id: "charlie", name: "charlie", url: "postgres://nobody:x@127.0.0.1:1/none" },
      ],
    });
  const cfg = config();
  // Every database's transaction-ID age is above 0: bravo fires critical at its first db_stats.
  cfg.targets[1].rules = { xid_wraparound: { threshold: 0, clearThreshold: 0, criticalThreshold: null, severity: "critical" } };
  collector = await startFaultPgpulse({ config: cfg, storeUrl: store.url, instanceName: "collector", leaseTtlMs: 4_000 });
  pages = await startFaultPgpulse({ config: config(), storeUrl: store.url, instanceName: "pages", collect: false });
}, 60_000);

afterAll(async () => {
  await pages?.stop();
  await collector?.stop();
  await Promise.all([a?.drop(), b?.drop(), store?.drop()]);
});

const byId = (rows: OverviewTarget[]) => Object.fromEntries(rows.map((r) => [r.id, r]));

describe("fleet overview across instances", () => {
  it("shows the targets another instance polls with their status from the store", async () => {
    const settled = async () => {
      await collector.store.flush();
      const rows = byId((await overviewView(pages)).targets);
      // The last sample time rides on the holder's next lease renewal: a tick after the sample.
      const ready =
        rows.alpha?.status === "ok" && rows.bravo?.status === "critical" && rows.charlie?.status === "down" && rows.alpha.sparkline.values.some((v) => v !== null) && rows.alpha.lastSampleAt !== null;
      return ready ? rows : null;
    };
    const seen = await until("the pages instance sees every target's status", settled, 30_000, 500);

    expect(seen.alpha).toMatchObject({ source: "store", up: true, heldBy: { name: "collector" }, tags: { env: "prod" }, downSince: null });
    expect(seen.alpha.lastSampleAt).not.toBeNull();
    // Role and version as the collector recorded them, not "—" for being polled elsewhere.
    expect(seen.alpha).toMatchObject({ role: "primary", serverVersion: expect.stringMatching(/^17\./) });
    expect(seen.charlie).toMatchObject({ source: "store", up: false, heldBy: { name: "collector" } });
    expect(seen.charlie.lastError).toMatch(/ECONNREFUSED|refused/i);
    expect(seen.bravo.firing).toEqual([{ rule: "xid_wraparound", severity: "critical", count: 1, alertId: expect.any(String) }]);
    // The sparkline is per minute over a quarter hour, its newest minute drawn from raw samples.
    expect(seen.alpha.sparkline.stepSeconds).toBe(60);
    expect(seen.alpha.sparkline.values.some((v) => v !== null)).toBe(true);

    // The collecting instance answers from memory, with the same statuses.
    const own = byId((await overviewView(collector)).targets);
    expect(Object.fromEntries(Object.values(own).map((r) => [r.id, [r.status, r.source]]))).toEqual({
      alpha: ["ok", "memory"],
      bravo: ["critical", "memory"],
      charlie: ["down", "memory"],
    });
  }, 45_000);
});
