import { startAppOnFleetPort, FLEET_URL, type FleetApp } from "./fixtures/fleet-app";
import { E2E_MONITOR_PASSWORD, E2E_PG_PORT, e2eSuperuserUrl } from "./fixtures/target-config";
import { expect, test } from "./fixtures/test";

// A second pgpulse on the first one's store that polls nothing (PGPULSE_COLLECTOR=0): its
// fleet list and /api/health show the target the first one polls with its real state — up,
// role, server version — read from the store, and say that its sessions figure is the last
// stored minute's average rather than a live count.

let app: FleetApp | undefined;

test.beforeAll(async () => {
  test.setTimeout(120_000);
  app = await startAppOnFleetPort({
    // The same target list as the first server (playwright.config.ts), so the same target id.
    DATABASE_URL: `postgres://pgpulse_monitor:${E2E_MONITOR_PASSWORD}@127.0.0.1:${E2E_PG_PORT}/kundli_db`,
    PGPULSE_STORE_URL: e2eSuperuserUrl("pgpulse"),
    PGPULSE_DATA_DIR: ".pgpulse/e2e-pages",
    PGPULSE_COLLECTOR: "0",
    PGPULSE_INSTANCE_NAME: "e2e-pages",
  });
});

test.afterAll(async () => {
  await app?.stop();
});

test("a target another instance polls shows its state, role and version, and an averaged sessions figure", async ({ page, request, targetId: id }) => {
  const own = (await (await request.get("/api/health")).json()) as { targets: Array<{ id: string; up: boolean | null; role: string | null; serverVersion: string | null }> };
  const polled = own.targets.find((t) => t.id === id)!;
  expect(polled).toMatchObject({ up: true, role: "primary" });

  // The pages instance reads the fleet every quarter of a lease: a few seconds at most.
  await expect
    .poll(async () => {
      const h = (await (await request.get(`${FLEET_URL}/api/health`)).json()) as { status: string; targets: typeof own.targets };
      const t = h.targets.find((x) => x.id === id);
      return t && { status: h.status, up: t.up, role: t.role, serverVersion: t.serverVersion };
    })
    .toEqual({ status: "ok", up: true, role: "primary", serverVersion: polled.serverVersion });

  await page.goto(`${FLEET_URL}/`);
  const status = page.getByTestId(`overview-target-${id}-status`);
  await expect(status).toHaveAttribute("data-up", "true");
  await expect(status).toHaveAttribute("title", /read from the store/);
  await expect(page.getByTestId(`overview-target-${id}-role`)).toHaveText("primary");
  await expect(page.getByTestId(`overview-target-${id}`)).toContainText(`PostgreSQL ${polled.serverVersion}`);
  const sessions = page.getByTestId(`overview-target-${id}-sessions`);
  await expect(sessions).toHaveAttribute("title", "average over the last stored minute");
  await expect(sessions).toContainText(/avg \d/);
});
