import { describe, expect, it } from "vitest";
import { maintenanceResponseSchema } from "@/lib/api/maintenance";
import { analyzeReason, SEQUENCE_GRANT_HINT, tableNeeds, toMaintenance, vacuumReason } from "./maintenance";
import { toCheckpoints } from "./maintenance-checkpoints";
import { maintenanceTableRow, sequenceRow, vacuumRow, workersRow } from "./maintenance-rows";

const NOW = new Date("2026-03-01T10:00:00Z");
const DAY = 24 * 3_600_000;
const ago = (ms: number) => new Date(NOW.getTime() - ms).toISOString();

const table = (over: Record<string, unknown> = {}) =>
  maintenanceTableRow.parse({
    schemaname: "public", relname: "users", is_partitioned: false, n_live_tup: 100_000, n_dead_tup: 0, dead_ratio: 0,
    n_mod_since_analyze: 0, n_ins_since_vacuum: 0, xid_age: 1_000, last_vacuum: null, last_autovacuum: ago(DAY),
    last_analyze: null, last_autoanalyze: ago(DAY), ...over,
  });
const seq = (sequencename: string, over: Record<string, unknown> = {}) =>
  sequenceRow.parse({
    schemaname: "public", sequencename, data_type: "bigint", column_name: null, column_type: null, cycle: false,
    last_value: "10", limit_value: "9223372036854775807", percent_used: 1e-16, last_value_unavailable: null, ...over,
  });
const source = { cadenceMs: 60_000, unavailable: null };
const sources = { vacuums: source, workers: source, tables: source, sequences: source };
const sequenceLines = { warnPercent: 75, criticalPercent: 90 };
const checkpoints = toCheckpoints({
  window: "1h", fromMs: NOW.getTime() - 3_600_000, toMs: NOW.getTime(), marker: [], takenAt: null, backendWritesMoved: false, ...source,
  points: { timed: [], requested: [], writeTimeMs: [], syncTimeMs: [], buffersCheckpoint: [], buffersClean: [], buffersBackend: [] },
});

describe("vacuumReason", () => {
  const cases: [string, Record<string, unknown>, ReturnType<typeof vacuumReason>][] = [
    ["dead share over 20 % and over 10,000 rows", { n_live_tup: 60_000, n_dead_tup: 20_000, dead_ratio: 0.25 }, "dead_tuples"],
    ["exactly 20 % is not over it", { n_live_tup: 80_000, n_dead_tup: 20_000, dead_ratio: 0.2 }, null],
    ["a high share of few rows is left to autovacuum", { n_live_tup: 100, n_dead_tup: 900, dead_ratio: 0.9 }, null],
    ["dead rows, big table, no vacuum for 8 days", { n_dead_tup: 50, dead_ratio: 0.0005, last_autovacuum: ago(8 * DAY) }, "stale_vacuum"],
    ["dead rows, big table, never vacuumed", { n_dead_tup: 50, dead_ratio: 0.0005, last_autovacuum: null }, "stale_vacuum"],
    ["the later of manual and auto counts", { n_dead_tup: 50, dead_ratio: 0.0005, last_autovacuum: ago(30 * DAY), last_vacuum: ago(DAY) }, null],
    ["never vacuumed but no dead rows", { n_dead_tup: 0, last_autovacuum: null }, null],
    ["unknown figures are not a need", { n_live_tup: null, n_dead_tup: null, dead_ratio: null, last_autovacuum: null }, null],
  ];
  it.each(cases)("%s", (_name, over, expected) => {
    expect(vacuumReason(table(over), NOW)).toBe(expected);
  });
});

describe("analyzeReason", () => {
  const cases: [string, Record<string, unknown>, ReturnType<typeof analyzeReason>][] = [
    ["more changes than autoanalyze's 50 + 10 %", { n_mod_since_analyze: 10_051 }, "modified_since_analyze"],
    ["at the trigger, not over it", { n_mod_since_analyze: 10_050 }, null],
    ["a small table's changes stay under the 1,000 floor", { n_live_tup: 100, n_mod_since_analyze: 999 }, null],
    ["never analysed, with rows", { last_autoanalyze: null }, "never_analyzed"],
    ["never analysed but empty", { last_autoanalyze: null, n_live_tup: 0 }, null],
  ];
  it.each(cases)("%s", (_name, over, expected) => {
    expect(analyzeReason(table(over))).toBe(expected);
  });
});

describe("tableNeeds", () => {
  it("lists each table once, worst first, with quoted statements, and skips partitioned parents", () => {
    const { vacuum, analyze } = tableNeeds(
      [
        table({ relname: "small_dead", n_dead_tup: 15_000, n_live_tup: 20_000, dead_ratio: 0.43 }),
        table({ schemaname: "Sales", relname: "order items", n_dead_tup: 40_000, n_live_tup: 60_000, dead_ratio: 0.4, n_mod_since_analyze: 90_000 }),
        table({ relname: "edited", n_mod_since_analyze: 50_000 }),
        table({ relname: "select", n_mod_since_analyze: 20_000 }),
        table({ relname: "parent", is_partitioned: true, n_dead_tup: 90_000, n_live_tup: 10_000, dead_ratio: 0.9 }),
      ],
      NOW,
    );
    expect(vacuum.map((t) => t.sql)).toEqual(['VACUUM (ANALYZE) "Sales"."order items";', "VACUUM (ANALYZE) public.small_dead;"]);
    expect(vacuum[0]).toMatchObject({ reason: "dead_tuples", deadTuples: 40_000, lastVacuumAt: ago(DAY), vacuumAgeMs: DAY, analyzeAgeMs: DAY });
    // "order items" needs ANALYZE too, but VACUUM (ANALYZE) covers it.
    expect(analyze.map((t) => t.sql)).toEqual(["ANALYZE public.edited;", 'ANALYZE public."select";']);
    expect(analyze[0].reason).toBe("modified_since_analyze");
  });
});

describe("toMaintenance", () => {
  it("sorts sequences by use with unknowns last, and hints at the grant only when one was refused", () => {
    const body = toMaintenance({
      targetId: "t", now: NOW, vacuums: null, workers: null, tables: null, sources, checkpoints, sequenceLines,
      sequences: {
        ts: NOW,
        rows: [
          seq("fresh", { last_value: null, percent_used: null, last_value_unavailable: "never_called" }),
          seq("legacy_id_seq", { column_name: "public.legacy.id", column_type: "integer", limit_value: "2147483647", last_value: "2147483000", percent_used: 99.99997 }),
          seq("small", { data_type: "smallint", limit_value: "32767", last_value: "16384", percent_used: 50.0015 }),
        ],
      },
    });
    expect(body.sequences.rows.map((s) => s.sequence)).toEqual(["legacy_id_seq", "small", "fresh"]);
    expect(body.sequences.grantHint).toBeNull();
    expect(body.sequences.rows[0]).toMatchObject({ column: "public.legacy.id", columnType: "integer", lastValue: "2147483000" });
    const refused = toMaintenance({
      targetId: "t", now: NOW, vacuums: null, workers: null, tables: null, sources, checkpoints, sequenceLines,
      sequences: { ts: NOW, rows: [seq("s", { last_value: null, percent_used: null, last_value_unavailable: "no_privilege" })] },
    });
    expect(refused.sequences.grantHint).toBe(SEQUENCE_GRANT_HINT);
  });

  it("no sample yet is unknown, not an idle server", () => {
    const body = toMaintenance({ targetId: "t", now: NOW, vacuums: null, workers: null, tables: null, sequences: null, sources, checkpoints, sequenceLines });
    expect(body.vacuums).toEqual({ takenAt: null, cadenceMs: 60_000, unavailable: null, rows: [] });
    expect(body.autovacuum).toMatchObject({ takenAt: null, workers: null, maxWorkers: null, autovacuumOn: null });
    expect(maintenanceResponseSchema.parse(body)).toEqual(body);
  });

  it("carries running vacuums, longest first, and the workers in use", () => {
    const v = (pid: number, running_ms: number) =>
      vacuumRow.parse({ pid, datname: "app", relation: "public.users", phase: "scanning heap", progress: 0.5, heap_blks_total: 100, heap_blks_scanned: 50, heap_blks_vacuumed: 0, index_vacuum_count: 0, indexes_total: null, indexes_processed: null, is_autovacuum: true, to_prevent_wraparound: false, running_ms });
    const body = toMaintenance({
      targetId: "t", now: NOW, tables: null, sequences: null, sources, checkpoints, sequenceLines,
      vacuums: { ts: NOW, rows: [v(1, 1_000), v(2, 90_000)] },
      workers: { ts: NOW, rows: [workersRow.parse({ workers: 2, max_workers: 3, autovacuum_on: true })] },
    });
    expect(body.vacuums.rows.map((r) => r.pid)).toEqual([2, 1]);
    expect(body.vacuums.rows[0]).toMatchObject({ progress: 0.5, heapBlksScanned: 50, isAutovacuum: true, runningMs: 90_000 });
    expect(body.autovacuum).toMatchObject({ takenAt: NOW.toISOString(), workers: 2, maxWorkers: 3, autovacuumOn: true });
    expect(maintenanceResponseSchema.parse(body)).toEqual(body);
  });
});
