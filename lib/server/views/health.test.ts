import { describe, expect, it } from "vitest";
import { computeHealth, fleetHealth } from "./health";
import type { TargetSnapshot } from "@/lib/collector/types";

const target = (id: string) => ({ id, name: id.toUpperCase(), url: `postgres://u:secret@h/${id}` });
const snap = (up: boolean, err: string | null = null): TargetSnapshot => ({
  targetId: "x",
  up,
  downSince: up ? null : new Date("2026-11-26T10:00:00Z"),
  lastError: err,
  lastSampleAt: up ? new Date("2026-11-26T10:00:05Z") : null,
  capabilities: null,
  metrics: {},
});
const storeOk = { reachable: true, unreachableSince: null };

describe("computeHealth", () => {
  it("is ok when every target is up", () => {
    const h = computeHealth("1.0", [target("a")], [snap(true)], storeOk);
    expect(h.status).toBe("ok");
    expect(h.targets[0]).toMatchObject({ id: "a", up: true, lastSampleAt: "2026-11-26T10:00:05.000Z" });
  });
  it("is degraded when one of two is down, down when all are", () => {
    expect(computeHealth("1", [target("a"), target("b")], [snap(true), snap(false, "refused")], storeOk).status).toBe("degraded");
    expect(computeHealth("1", [target("a")], [snap(false, "refused")], storeOk).status).toBe("down");
  });
  it("reports a target never polled as up: null, not down", () => {
    const h = computeHealth("1", [target("a")], [undefined], storeOk);
    expect(h.targets[0].up).toBeNull();
    expect(h.status).toBe("ok");
  });
  it("is degraded when the store is unreachable, and says since when", () => {
    const h = computeHealth("1", [target("a")], [snap(true)], { reachable: false, unreachableSince: new Date("2026-11-26T09:00:00Z") });
    expect(h.status).toBe("degraded");
    expect(h.store.detail).toContain("2026-11-26T09:00:00.000Z");
  });
  it("carries the role the last probe read, null before any probe answered", () => {
    const standby = { ...snap(true), capabilities: { role: "standby", serverVersion: "17.10" } as TargetSnapshot["capabilities"] };
    const h = computeHealth("1", [target("a"), target("b")], [standby, snap(true)], storeOk);
    expect(h.targets.map((t) => t.role)).toEqual(["standby", null]);
  });
  it("never includes a connection string", () => {
    expect(JSON.stringify(computeHealth("1", [target("a")], [snap(false, "x")], storeOk))).not.toContain("secret");
  });

  const at = new Date("2026-11-26T10:00:00Z");
  const nothingRecorded = { last_sample_at: null, up: null, down_since: null, error: null, server_version: null, role: null };
  const twoInstances = [
    { id: "i1", name: "node-1", started_at: at, heartbeat_at: at },
    { id: "i2", name: "node-2", started_at: at, heartbeat_at: at },
  ];

  it("lists instances with the targets their live leases cover, and who holds each target", () => {
    const fleet = fleetHealth("i1", twoInstances, [
      { target_id: "a", holder: "i1", holder_name: "node-1", live: true, ...nothingRecorded },
      { target_id: "b", holder: "i2", holder_name: "node-2", live: true, ...nothingRecorded },
      { target_id: "c", holder: "i3", holder_name: "node-3", live: false, ...nothingRecorded },
    ]);
    const h = computeHealth("1", [target("a"), target("b"), target("c")], [snap(true), undefined, undefined], storeOk, fleet);
    expect(h.instances.map((i) => [i.name, i.self, i.targets])).toEqual([["node-1", true, ["a"]], ["node-2", false, ["b"]]]);
    expect(h.targets.map((t) => [t.id, t.heldBy?.name ?? null, t.up])).toEqual([["a", "node-1", true], ["b", "node-2", null], ["c", null, null]]);
    expect(h.status).toBe("ok");
  });

  it("answers for a target another instance polls from what it recorded, and counts it in the status", () => {
    const down = { up: false, down_since: at, error: "connection refused", server_version: "17.2", role: "standby" as const, last_sample_at: new Date("2026-11-26T09:59:58Z") };
    const fleet = fleetHealth("i1", twoInstances, [
      { target_id: "a", holder: "i1", holder_name: "node-1", live: true, ...nothingRecorded },
      { target_id: "b", holder: "i2", holder_name: "node-2", live: true, ...down },
      // Its holder stopped renewing: what it recorded is no longer current, so unknown.
      { target_id: "c", holder: "i3", holder_name: "node-3", live: false, ...down },
    ]);
    const h = computeHealth("1", [target("a"), target("b"), target("c")], [snap(true), undefined, undefined], storeOk, fleet);
    expect(h.targets[1]).toEqual({
      id: "b",
      name: "B",
      up: false,
      serverVersion: "17.2",
      role: "standby",
      lastSampleAt: "2026-11-26T09:59:58.000Z",
      lastError: "connection refused",
      downSince: at.toISOString(),
      heldBy: { id: "i2", name: "node-2" },
    });
    expect(h.targets[2]).toMatchObject({ up: null, downSince: null, lastError: null, role: null, heldBy: null });
    expect(h.status).toBe("degraded");
    // Back up: no down fields, and every counted target up again.
    const back = fleetHealth("i1", twoInstances, [{ target_id: "b", holder: "i2", holder_name: "node-2", live: true, ...down, up: true, error: null }]);
    const h2 = computeHealth("1", [target("a"), target("b")], [snap(true), undefined], storeOk, back);
    expect(h2.targets[1]).toMatchObject({ up: true, downSince: null, lastError: null, role: "standby" });
    expect(h2.status).toBe("ok");
  });
});
