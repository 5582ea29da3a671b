import { describe, expect, it } from "vitest";
import { capabilitiesFrom } from "./server";

const base = {
  server_version: "16.14",
  server_version_num: 160014,
  postmaster_start: new Date("2026-01-01T00:00:00Z"),
  uptime_seconds: 3600.5,
  database: "kundli_db",
  user: "monitor",
  is_superuser: false,
  in_recovery: false,
  system_identifier: "7716033852329331513",
  shared_buffers_bytes: 134217728,
  max_connections: 100,
  superuser_reserved_connections: 3,
  reserved_connections: 2,
  track_counts: "on",
  track_activities: "on",
  track_io_timing: "off",
  track_activity_query_size: 1024,
  extensions: [
    { name: "pg_stat_statements", version: "1.10", schema: "monitoring" },
    { name: "plpgsql", version: "1.0", schema: "pg_catalog" },
  ],
  roles: ["pg_monitor", "pg_read_all_settings", "pg_read_all_stats", "pg_stat_scan_tables"],
  has_performance_metrics: true,
  has_slow_query_log: false,
  has_backup_log: false,
  has_column_stats: true,
};

describe("capabilitiesFrom", () => {
  it("maps the server row to the capability map", () => {
    const at = new Date("2026-02-02T00:00:00Z");
    const caps = capabilitiesFrom([base], at);
    expect(caps).toEqual({
      serverVersionNum: 160014,
      serverVersion: "16.14",
      database: "kundli_db",
      user: "monitor",
      isSuperuser: false,
      role: "primary",
      systemIdentifier: "7716033852329331513",
      extensions: {
        pg_stat_statements: { version: "1.10", schema: "monitoring" },
        plpgsql: { version: "1.0", schema: "pg_catalog" },
      },
      roles: ["pg_monitor", "pg_read_all_settings", "pg_read_all_stats", "pg_stat_scan_tables"],
      objects: { performance_metrics: true, slow_query_log: false, backup_log: false, pgpulse_column_stats: true },
      settings: {
        max_connections: "100",
        superuser_reserved_connections: "3",
        reserved_connections: "2",
        shared_buffers_bytes: "134217728",
        track_counts: "on",
        track_activities: "on",
        track_io_timing: "off",
        track_activity_query_size: "1024",
      },
      checkedAt: at,
    });
  });

  it("reads a server in recovery as a standby", () => {
    expect(capabilitiesFrom([{ ...base, in_recovery: true }]).role).toBe("standby");
  });

  it("leaves reserved_connections out before PostgreSQL 16 (absent, not 0)", () => {
    const caps = capabilitiesFrom([{ ...base, server_version_num: 130023, reserved_connections: null }]);
    expect("reserved_connections" in caps.settings).toBe(false);
  });

  it("rejects anything but exactly one well-formed row", () => {
    expect(() => capabilitiesFrom([])).toThrow(/expected one row/);
    expect(() => capabilitiesFrom([base, base])).toThrow(/expected one row/);
    expect(() => capabilitiesFrom([{ ...base, roles: null }])).toThrow();
  });
});
