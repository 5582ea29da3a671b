import { describe, expect, it } from "vitest";
import { exposedName } from "./prometheus-names";

describe("exposedName", () => {
  const cases: Array<[string, "counter" | "gauge", string, number]> = [
    ["db_stats_xact_commit", "counter", "pgpulse_db_stats_xact_commit_total", 1],
    ["db_stats_numbackends", "gauge", "pgpulse_db_stats_numbackends", 1],
    ["checkpoints_write_time_ms", "counter", "pgpulse_checkpoints_write_time_seconds_total", 0.001],
    ["connections_total", "gauge", "pgpulse_connections", 1],
    ["stat_activity_total", "gauge", "pgpulse_stat_activity", 1],
    ["wal.bytes", "counter", "pgpulse_wal_bytes_total", 1],
  ];
  for (const [series, kind, name, scale] of cases) {
    it(`${kind} ${series} → ${name}`, () => expect(exposedName(series, kind)).toEqual({ name, scale }));
  }
});
