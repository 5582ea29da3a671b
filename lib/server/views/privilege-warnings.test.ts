import { describe, expect, it } from "vitest";
import type { Capabilities } from "@/lib/collector/types";
import { privilegeWarnings } from "./privilege-warnings";

const caps = (over: Partial<Capabilities>): Capabilities => ({
  serverVersionNum: 170010,
  serverVersion: "17.10",
  database: "kundli_db",
  user: "pgpulse_monitor",
  isSuperuser: false,
  role: "primary",
  systemIdentifier: null,
  extensions: {},
  roles: ["pg_monitor", "pg_read_all_stats", "pg_stat_scan_tables"],
  objects: { pgpulse_column_stats: true },
  settings: {},
  checkedAt: new Date(0),
  ...over,
});

describe("privilegeWarnings", () => {
  it("says nothing for a pg_monitor role with setup done", () => {
    expect(privilegeWarnings(caps({}))).toEqual([]);
  });
  it("warns about a superuser, and only that", () => {
    const w = privilegeWarnings(caps({ isSuperuser: true, user: "postgres", roles: [] }));
    expect(w).toHaveLength(1);
    expect(w[0]).toContain("superuser postgres");
  });
  it("says what is lost without pg_monitor and without setup", () => {
    const w = privilegeWarnings(caps({ roles: [], objects: { pgpulse_column_stats: false } }));
    expect(w.join("\n")).toMatch(/query text .* hidden/);
    expect(w.join("\n")).toMatch(/pgstatindex/);
    expect(w.join("\n")).toMatch(/column_stats/);
  });
  it("is empty before the first probe", () => {
    expect(privilegeWarnings(null)).toEqual([]);
  });
});
