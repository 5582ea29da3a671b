import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { GET as healthGET } from "@/app/api/health/route";
import type { Health, TargetHealth } from "@/lib/api/health";
import { installPeerTagging, PEER_HEADER } from "@/lib/auth/peer";
import type { Pgpulse } from "@/lib/server/wiring/compose";
import { setRuntimeForTests } from "@/lib/server/wiring/runtime";
import { createTestDatabase, type TestDatabase } from "@/test/db";
import { faultConfig, removeRoot, startFaultPgpulse, startFaultServer, tempRoot, until, type FaultServer } from "@/test/faults/support";

// Two pgpulse instances on one store: "collector" polls every target, "pages" polls none
// (PGPULSE_COLLECTOR=0). /api/health — the route, with its per-version answer cache — tells the
// same up, role, version and outage of every target on both: the pages instance from what the
// collector recorded in the store. Through an outage of one target and its return, and after
// the collector leaves (nobody polls: unknown, never "down" by guess).

const TTL_MS = 2_000;

let root: string;
let alphaServer: FaultServer;
let store: TestDatabase;
let collector: Pgpulse;
let pages: Pgpulse;
let successor: Pgpulse | undefined;
let targets: Array<{ id: string; name: string; url: string }>;

beforeAll(async () => {
  root = await tempRoot("fleet-health");
  [alphaServer, store] = await Promise.all([startFaultServer(root, "alpha"), createTestDatabase(17, "fleet_health_store")]);
  targets = [
    { id: "alpha", name: "alpha", url: alphaServer.url() },
    // Nothing listens on port 1: refused at once, down from the start.
    { id: "charlie", name: "charlie", url: "postgres://nobody:x@127.0.0.1:1/none" },
  ];
  collector = await startFaultPgpulse({ config: faultConfig({ targets }), storeUrl: store.url, instanceName: "collector", leaseTtlMs: TTL_MS });
  // "delta" is in the pages instance's list only: no instance holds its lease.
  const pagesTargets = [...targets, { id: "delta", name: "delta", url: "postgres://nobody:x@127.0.0.1:1/delta" }];
  pages = await startFaultPgpulse({ config: faultConfig({ targets: pagesTargets }), storeUrl: store.url, instanceName: "pages", collect: false, leaseTtlMs: TTL_MS });
  installPeerTagging();
}, 90_000);

afterAll(async () => {
  setRuntimeForTests(undefined);
  await successor?.stop();
  await pages?.stop();
  await collector?.stop();
  await alphaServer?.stop();
  await store?.drop();
  await removeRoot(root);
});

/** GET /api/health on one instance, as a local viewer (the full answer). */
async function health(rt: Pgpulse): Promise<Health> {
  setRuntimeForTests(rt);
  const res = await healthGET(new Request("http://127.0.0.1/api/health", { headers: { [PEER_HEADER]: "127.0.0.1", host: "127.0.0.1" } }), { params: Promise.resolve({}) });
  expect(res.status).toBe(200);
  return (await res.json()) as Health;
}

/** What both instances must agree on, per target. */
const facts = (t: TargetHealth | undefined) =>
  t && { up: t.up, role: t.role, serverVersion: t.serverVersion, downSince: t.downSince, lastError: t.lastError, heldBy: t.heldBy?.name ?? null };

async function bothAgree(what: string, expected: (h: Health) => boolean) {
  return bothAgreeWith(collector, what, expected);
}

/** Polls until the polling instance and the pages instance tell the same facts, as expected. */
async function bothAgreeWith(polling: Pgpulse, what: string, expected: (h: Health) => boolean) {
  return until(
    what,
    async () => {
      // One after the other: the route reads the runtime set for it, which a call beside it would change.
      const own = await health(polling);
      const other = await health(pages);
      const same = ["alpha", "charlie"].every((id) => JSON.stringify(facts(own.targets.find((t) => t.id === id))) === JSON.stringify(facts(other.targets.find((t) => t.id === id))));
      return same && own.status === other.status && expected(own) && expected(other) ? { own, other } : null;
    },
    30_000,
    200,
  );
}

const target = (h: Health, id: string) => h.targets.find((t) => t.id === id)!;

describe("/api/health across instances", () => {
  it("tells the same state of every target on the polling instance and on a pages-only one", async () => {
    const first = await bothAgree("both instances see alpha up and charlie down", (h) => target(h, "alpha").up === true && target(h, "alpha").role !== null && target(h, "charlie").up === false);
    const alpha = target(first.other, "alpha");
    expect(alpha).toMatchObject({ up: true, role: "primary", serverVersion: expect.stringMatching(/^17\./), downSince: null, lastError: null, heldBy: { name: "collector" } });
    // Recorded with the lease renewals: at most a tick behind the polling instance's own.
    expect(alpha.lastSampleAt).not.toBeNull();
    expect(Date.parse(alpha.lastSampleAt!)).toBeLessThanOrEqual(Date.parse(target(first.own, "alpha").lastSampleAt!));
    expect(target(first.other, "charlie")).toMatchObject({ up: false, downSince: expect.any(String), lastError: expect.stringMatching(/ECONNREFUSED|refused/i) });
    expect(first.other.status).toBe("degraded");
    expect(target(first.other, "delta")).toMatchObject({ up: null, heldBy: null, role: null });
    expect(first.other.instances.map((i) => [i.name, i.self, i.targets])).toEqual([["collector", false, ["alpha", "charlie"]]]);

    await alphaServer.stop();
    const down = await bothAgree("both instances see alpha down", (h) => target(h, "alpha").up === false);
    expect(target(down.other, "alpha")).toMatchObject({ up: false, downSince: expect.any(String), lastError: expect.any(String), role: "primary" });
    expect(down.other.status).toBe("down");

    await alphaServer.start();
    const back = await bothAgree("both instances see alpha up again", (h) => target(h, "alpha").up === true);
    expect(target(back.other, "alpha")).toMatchObject({ up: true, downSince: null, lastError: null, role: "primary" });
    expect(back.other.status).toBe("degraded");

    // The collector leaves (its leases end at once): nobody polls, so nothing is current.
    await collector.stop();
    const orphaned = await until(
      "the pages instance sees nobody holding the targets",
      async () => {
        const h = await health(pages);
        return h.targets.every((t) => t.heldBy === null) ? h : null;
      },
      15_000,
      200,
    );
    expect(orphaned.targets.map((t) => [t.id, t.up, t.downSince])).toEqual([
      ["alpha", null, null],
      ["charlie", null, null],
      ["delta", null, null],
    ]);
    expect(orphaned.status).toBe("ok");

    // Another instance takes over while charlie is still down: the outage keeps the start its
    // first holder recorded, on the new holder as on the pages instance, not the new holder's
    // own first probe.
    const charlieSince = target(first.other, "charlie").downSince;
    successor = await startFaultPgpulse({ config: faultConfig({ targets }), storeUrl: store.url, instanceName: "successor", leaseTtlMs: TTL_MS });
    const taken = await bothAgreeWith(successor, "the successor holds charlie and finds it down", (h) => target(h, "charlie").up === false && target(h, "charlie").heldBy?.name === "successor");
    expect(target(taken.own, "charlie").downSince).toBe(charlieSince);
  }, 120_000);
});
