import { describe, expect, it } from "vitest";
import type { Capabilities, TargetSnapshot } from "@/lib/collector/types";
import { summarizeTarget } from "./targets";

const target = { id: "a", name: "A", url: "postgres://mon:secret@db.internal:6543/app" };
const snap = (role: Capabilities["role"] | null): TargetSnapshot => ({
  targetId: "a",
  up: true,
  downSince: null,
  lastError: null,
  lastSampleAt: null,
  capabilities: role ? ({ role } as Capabilities) : null,
  metrics: {},
});

describe("summarizeTarget", () => {
  it("names host, port and database, never the credentials", () => {
    const s = summarizeTarget(target);
    expect(s).toEqual({ id: "a", name: "A", host: "db.internal", port: 6543, database: "app", role: null });
    expect(JSON.stringify(s)).not.toContain("secret");
  });

  it("carries the role of the last probe, null before one answered", () => {
    expect(summarizeTarget(target, snap("standby")).role).toBe("standby");
    expect(summarizeTarget(target, snap(null)).role).toBeNull();
  });
});
