import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Pgpulse } from "@/lib/server/wiring/compose";
import { activityView } from "@/lib/server/views/activity-read";
import { createTestDatabase, type TestDatabase } from "@/test/db";
import { faultConfig, spyResults, startFaultPgpulse, startFreezableProxy, until } from "./support";

// An instance cut off from the store (its connections to it stall, as in a network partition)
// while another instance is alive: it stops collecting its targets once it can no longer prove
// its leases (fencing), before the other takes them over; when the network heals it rejoins
// and the fleet balances again, each target with one holder.

const TTL_MS = 2_000;

let store: TestDatabase;
let targets: TestDatabase[];
let proxy: Awaited<ReturnType<typeof startFreezableProxy>>;
let cut: Pgpulse;
let other: Pgpulse;

beforeAll(async () => {
  [store, ...targets] = await Promise.all([createTestDatabase(17, "part_store"), createTestDatabase(17, "part_a"), createTestDatabase(17, "part_b")]);
  const url = new URL(store.url);
  proxy = await startFreezableProxy(Number(url.port));
  const config = faultConfig({ targets: targets.map((t, i) => ({ id: `t${i}`, name: `T${i}`, url: t.url })) });
  other = await startFaultPgpulse({ config, storeUrl: store.url, leaseTtlMs: TTL_MS, instanceName: "other" });
  url.port = String(proxy.port);
  cut = await startFaultPgpulse({ config, storeUrl: url.toString(), leaseTtlMs: TTL_MS, instanceName: "cut", store: { flushIntervalMs: 200 } });
});

afterAll(async () => {
  proxy?.thaw();
  await Promise.allSettled([cut?.stop(), other?.stop()]);
  await proxy?.close();
  await Promise.all([store, ...targets].map((d) => d?.drop()));
});

describe("an instance partitioned from the store", () => {
  it("stops collecting before its targets are taken over, then rejoins", async () => {
    await until("one target each", () => cut.leases!.held().length === 1 && other.leases!.held().length === 1, 20_000);
    const mine = cut.leases!.held()[0];
    const seen = spyResults(cut);
    await until("the cut instance collecting its target", () => seen.some((s) => s.targetId === mine && s.status === "ok"), 10_000);

    const frozenAt = Date.now();
    proxy.freeze();
    await until("collection stopped on the cut instance", () => cut.collectors.size === 0, 10_000);
    const fencedAt = Date.now();
    await until("its target taken over", () => other.leases!.held().includes(mine), 10_000);
    const takenAt = Date.now();
    console.log(`[partition] fenced after ${fencedAt - frozenAt} ms, taken over after ${takenAt - frozenAt} ms (TTL ${TTL_MS} ms)`);
    // Fenced within ¾ TTL of its last renewal, which was at most a tick (¼ TTL) before the cut.
    expect(fencedAt - frozenAt).toBeLessThanOrEqual(TTL_MS);
    expect(fencedAt).toBeLessThanOrEqual(takenAt);
    expect(cut.leases!.token(mine)).toBeNull();
    // Not one result from the cut instance after it fenced itself.
    expect(seen.filter((s) => s.targetId === mine && s.at > fencedAt)).toEqual([]);
    await until("the other collecting both targets", () => other.collectors.size === 2, 10_000);

    proxy.thaw();
    await until("rebalanced: one target each again", () => cut.leases!.held().length === 1 && other.leases!.held().length === 1, 30_000);
    expect(new Set([...cut.leases!.held(), ...other.leases!.held()])).toEqual(new Set(["t0", "t1"]));
    // /api/health reads the lease table as of the instance's last tick.
    const listed = () => JSON.stringify(other.health().instances.map((i) => [i.name, i.targets.length]).sort());
    await until("health lists both instances with one target each", () => listed() === JSON.stringify([["cut", 1], ["other", 1]]), 5_000);
    const health = other.health();
    expect(health.instances.filter((i) => i.self).map((i) => i.name)).toEqual(["other"]);
    expect(health.targets.map((t) => t.heldBy?.name).sort()).toEqual(["cut", "other"]);

    // Any instance serves any page: the live sessions of a target held elsewhere say where they are.
    const theirs = cut.leases!.held()[0];
    const ours = other.leases!.held()[0];
    await until("a session sample of our own target", () => other.snapshot(ours)?.metrics.stat_activity?.status === "ok", 10_000);
    expect((await activityView(other, other.target(theirs)!, "viewer")).unavailable).toMatch(/^collected by pgpulse instance cut:/);
    expect((await activityView(other, other.target(ours)!, "viewer")).unavailable).toBeNull();
  }, 90_000);
});
