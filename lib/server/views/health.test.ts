import { describe, expect, it } from "vitest";
import { computeHealth } from "./health";
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
});
