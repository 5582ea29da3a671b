import type { Checkpoints, MaintenanceResponse, RunningVacuum, SequenceUsage, TableNeed } from "@/lib/api/maintenance";
import { VACUUM_MIN_TUPLES } from "@/lib/alerts/inputs/vacuum";
import { RULE_DEFAULTS } from "@/lib/alerts/rules";
import { qualified } from "@/lib/db/ident";
import { SEQUENCES_SETUP_FLAG } from "@/lib/setup/opt-in-grants";
import type { MaintenanceTableRow, SequenceRow, VacuumRow, WorkersRow } from "./maintenance-rows";
import type { Sample, Source } from "./snapshot-part";

// Running vacuums, autovacuum workers, tables that need VACUUM or ANALYZE, and sequences by use
// → the maintenance answer. Pure: rows, their sample times and the clock come in as arguments.
//
// VACUUM: the vacuum_behind rule's lines — a dead share over its default threshold (20 %) in a
// table over VACUUM_MIN_TUPLES rows, live and dead (below that a manual VACUUM buys little) — or
// dead tuples in such a table not vacuumed for a week (or ever). One definition for the alert
// and this list, so the page never disagrees with what fired. ANALYZE: more rows modified since the
// last analyze than autoanalyze's default trigger (50 + 10 % of rows) and at least 1,000, or a
// table with rows that was never analysed. Partitioned parents are left out: their figures are
// their leaves' sums, and each leaf is listed on its own.

const DEAD_RATIO = RULE_DEFAULTS.vacuum_behind.threshold / 100;
export const STALE_VACUUM_MS = 7 * 24 * 3_600_000;
export const MIN_MODS = 1_000;
/** Rows per list: the worst first; the tables page has every table. */
export const MAX_LIST = 20;

// SELECT on a sequence reads last_value and cannot advance it; pg_read_all_data would also read
// every table and pg_authid's password hashes, so it is not offered (lib/setup/sequence-grants.ts).
export const SEQUENCE_GRANT_HINT =
  "The monitoring role cannot read some sequences' last values: run npm run setup -- --url <admin url> " +
  `${SEQUENCES_SETUP_FLAG} (SELECT on that schema's sequences, and on those created later), ` +
  "or GRANT SELECT ON ALL SEQUENCES IN SCHEMA <schema> TO <role>.";

export interface MaintenanceInput {
  targetId: string;
  now: Date;
  vacuums: Sample<VacuumRow> | null;
  workers: Sample<WorkersRow> | null;
  tables: Sample<MaintenanceTableRow> | null;
  sequences: Sample<SequenceRow> | null;
  sources: { vacuums: Source; workers: Source; tables: Source; sequences: Source };
  /** The sequence_exhaustion rule's lines, resolved for the target. */
  sequenceLines: { warnPercent: number; criticalPercent: number | null };
  /** Computed apart (./maintenance-checkpoints): it reads a window of stored samples. */
  checkpoints: Checkpoints;
}

const later = (a: string | null, b: string | null) => (a && b ? (a > b ? a : b) : (a ?? b));
const ageMs = (iso: string | null, at: Date) => (iso ? Math.max(0, at.getTime() - Date.parse(iso)) : null);

export function toRunningVacuum(r: VacuumRow): RunningVacuum {
  return {
    pid: r.pid,
    datname: r.datname,
    relation: r.relation,
    phase: r.phase,
    progress: r.progress,
    heapBlksTotal: r.heap_blks_total,
    heapBlksScanned: r.heap_blks_scanned,
    heapBlksVacuumed: r.heap_blks_vacuumed,
    indexVacuumCount: r.index_vacuum_count,
    indexesTotal: r.indexes_total,
    indexesProcessed: r.indexes_processed,
    isAutovacuum: r.is_autovacuum,
    toPreventWraparound: r.to_prevent_wraparound,
    runningMs: r.running_ms,
  };
}

function need(r: MaintenanceTableRow, reason: TableNeed["reason"], at: Date): TableNeed {
  const lastVacuumAt = later(r.last_vacuum, r.last_autovacuum);
  const lastAnalyzeAt = later(r.last_analyze, r.last_autoanalyze);
  const table = qualified(r.schemaname, r.relname);
  const vacuum = reason === "dead_tuples" || reason === "stale_vacuum";
  return {
    schema: r.schemaname,
    table: r.relname,
    reason,
    liveTuples: r.n_live_tup,
    deadTuples: r.n_dead_tup,
    deadRatio: r.dead_ratio,
    modsSinceAnalyze: r.n_mod_since_analyze,
    insertsSinceVacuum: r.n_ins_since_vacuum,
    xidAge: r.xid_age,
    lastVacuumAt,
    lastAnalyzeAt,
    vacuumAgeMs: ageMs(lastVacuumAt, at),
    analyzeAgeMs: ageMs(lastAnalyzeAt, at),
    sql: vacuum ? `VACUUM (ANALYZE) ${table};` : `ANALYZE ${table};`,
  };
}

/** Why the table needs a VACUUM, or null. */
export function vacuumReason(r: MaintenanceTableRow, at: Date): "dead_tuples" | "stale_vacuum" | null {
  const dead = r.n_dead_tup ?? 0;
  const rows = (r.n_live_tup ?? 0) + dead;
  if (rows <= VACUUM_MIN_TUPLES) return null;
  if ((r.dead_ratio ?? 0) > DEAD_RATIO) return "dead_tuples";
  const age = ageMs(later(r.last_vacuum, r.last_autovacuum), at);
  if (dead > 0 && (age === null || age > STALE_VACUUM_MS)) return "stale_vacuum";
  return null;
}

/** Why the table needs an ANALYZE, or null. */
export function analyzeReason(r: MaintenanceTableRow): "modified_since_analyze" | "never_analyzed" | null {
  const live = r.n_live_tup ?? 0;
  const mods = r.n_mod_since_analyze ?? 0;
  if (mods >= MIN_MODS && mods > 50 + 0.1 * live) return "modified_since_analyze";
  if (live > 0 && !r.last_analyze && !r.last_autoanalyze) return "never_analyzed";
  return null;
}

export function tableNeeds(rows: readonly MaintenanceTableRow[], at: Date): { vacuum: TableNeed[]; analyze: TableNeed[] } {
  const vacuum: TableNeed[] = [];
  const analyze: TableNeed[] = [];
  for (const r of rows) {
    if (r.is_partitioned) continue;
    const v = vacuumReason(r, at);
    // VACUUM (ANALYZE) also analyses: a table listed for it is not listed again.
    if (v) vacuum.push(need(r, v, at));
    else {
      const a = analyzeReason(r);
      if (a) analyze.push(need(r, a, at));
    }
  }
  vacuum.sort((x, y) => (y.deadTuples ?? 0) - (x.deadTuples ?? 0) || (y.vacuumAgeMs ?? Infinity) - (x.vacuumAgeMs ?? Infinity));
  const share = (t: TableNeed) => (t.modsSinceAnalyze ?? 0) / Math.max(1, t.liveTuples ?? 0);
  analyze.sort((x, y) => share(y) - share(x));
  return { vacuum: vacuum.slice(0, MAX_LIST), analyze: analyze.slice(0, MAX_LIST) };
}

export function toSequenceUsage(r: SequenceRow): SequenceUsage {
  return {
    schema: r.schemaname,
    sequence: r.sequencename,
    dataType: r.data_type,
    column: r.column_name,
    columnType: r.column_type,
    lastValue: r.last_value,
    limitValue: r.limit_value,
    percentUsed: r.percent_used,
    cycle: r.cycle,
    lastValueUnavailable: r.last_value_unavailable,
  };
}

const iso = (s: { ts: Date } | null) => (s ? s.ts.toISOString() : null);

export function toMaintenance(input: MaintenanceInput): MaintenanceResponse {
  const { sources } = input;
  const w = input.workers?.rows[0];
  const seqs = (input.sequences?.rows ?? []).map(toSequenceUsage);
  // Unknown percentages (never called, not readable) after every known one.
  seqs.sort((a, b) => (b.percentUsed ?? -1) - (a.percentUsed ?? -1) || a.schema.localeCompare(b.schema) || a.sequence.localeCompare(b.sequence));
  return {
    targetId: input.targetId,
    vacuums: {
      takenAt: iso(input.vacuums),
      ...sources.vacuums,
      rows: (input.vacuums?.rows ?? []).map(toRunningVacuum).sort((a, b) => (b.runningMs ?? 0) - (a.runningMs ?? 0)),
    },
    autovacuum: {
      takenAt: iso(input.workers),
      ...sources.workers,
      workers: w?.workers ?? null,
      maxWorkers: w?.max_workers ?? null,
      autovacuumOn: w?.autovacuum_on ?? null,
    },
    tables: { takenAt: iso(input.tables), ...sources.tables, ...tableNeeds(input.tables?.rows ?? [], input.now) },
    sequences: {
      takenAt: iso(input.sequences),
      ...sources.sequences,
      rows: seqs,
      ...input.sequenceLines,
      grantHint: seqs.some((s) => s.lastValueUnavailable === "no_privilege") ? SEQUENCE_GRANT_HINT : null,
    },
    checkpoints: input.checkpoints,
  };
}
