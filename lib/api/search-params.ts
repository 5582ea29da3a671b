import { FILTER_TEXT_MAX, HISTORY_RANGES, LIVE_WINDOWS, MAX_RANGE_MS, RANGE_MS, type RangeKey } from "@/lib/limits";
import { ALERT_STATES, type AlertState } from "./alert-view";
import { DEFAULT_LIST_SORT, INDEX_FLAGS, INDEX_SORT_KEYS, TABLE_SORT_KEYS, type IndexFlag, type IndexSort, type TableSort } from "./list-sorts";
import { FLEET_STATUSES, formatTag, parseTag, type FleetStatus, type Tag } from "./fleet";
import { CHECKPOINT_WINDOWS, DEFAULT_CHECKPOINT_WINDOW, type CheckpointWindow } from "./urls";

// URL state of every page, parsed the same way by the server page and the client island.
// Anything invalid falls back to the default instead of failing: a shared link always opens.
// Serializers leave defaults out so URLs stay short.

export type SearchParamsInput = URLSearchParams | Record<string, string | string[] | undefined>;

function all(sp: SearchParamsInput, key: string): string[] {
  if (sp instanceof URLSearchParams) return sp.getAll(key);
  const v = sp[key];
  return v === undefined ? [] : Array.isArray(v) ? v : [v];
}
function first(sp: SearchParamsInput, key: string): string | null {
  return all(sp, key)[0] ?? null;
}
function text(sp: SearchParamsInput, key: string): string | null {
  const v = first(sp, key)?.trim();
  return v ? v.slice(0, FILTER_TEXT_MAX) : null;
}
function oneOf<T extends string>(v: string | null, allowed: readonly T[], fallback: T): T {
  return v !== null && (allowed as readonly string[]).includes(v) ? (v as T) : fallback;
}

export type TimeRange = { kind: "relative"; key: RangeKey } | { kind: "absolute"; from: string; to: string };

/** A `range=24h` key, or `from`/`to` ISO times (clamped to MAX_RANGE_MS, to ≤ now is not required). */
export function parseTimeRange(sp: SearchParamsInput, allowed: readonly RangeKey[], fallback: RangeKey): TimeRange {
  const from = Date.parse(first(sp, "from") ?? "");
  const to = Date.parse(first(sp, "to") ?? "");
  if (!Number.isNaN(from) && !Number.isNaN(to) && from < to) {
    const clampedFrom = Math.max(from, to - MAX_RANGE_MS);
    return { kind: "absolute", from: new Date(clampedFrom).toISOString(), to: new Date(to).toISOString() };
  }
  return { kind: "relative", key: oneOf(first(sp, "range"), allowed, fallback) };
}

/** The concrete window, computed at call time. */
export function resolveRange(r: TimeRange, now: number): { from: Date; to: Date; rangeMs: number } {
  if (r.kind === "absolute") {
    const from = Date.parse(r.from);
    const to = Date.parse(r.to);
    return { from: new Date(from), to: new Date(to), rangeMs: to - from };
  }
  const ms = RANGE_MS[r.key];
  return { from: new Date(now - ms), to: new Date(now), rangeMs: ms };
}

function writeRange(p: URLSearchParams, r: TimeRange, fallback: RangeKey) {
  if (r.kind === "absolute") {
    p.set("from", r.from);
    p.set("to", r.to);
  } else if (r.key !== fallback) p.set("range", r.key);
}
function writeText(p: URLSearchParams, key: string, v: string | null | undefined) {
  if (v) p.set(key, v);
}

// Live page -------------------------------------------------------------------------------

export const SESSION_SORT_KEYS = ["duration", "xact", "pid", "user", "application", "state"] as const;
export type SessionSortKey = (typeof SESSION_SORT_KEYS)[number];

export interface LiveParams {
  window: (typeof LIVE_WINDOWS)[number];
  pid: number | null;
  state: string | null;
  user: string | null;
  app: string | null;
  q: string | null;
  sort: SessionSortKey;
  dir: "asc" | "desc";
}
export const LIVE_DEFAULT_WINDOW = "1h" as const;

export function parseLiveParams(sp: SearchParamsInput): LiveParams {
  const pid = Number(first(sp, "pid"));
  return {
    window: oneOf(first(sp, "window"), LIVE_WINDOWS, LIVE_DEFAULT_WINDOW),
    pid: Number.isInteger(pid) && pid > 0 && pid < 2 ** 31 ? pid : null,
    state: text(sp, "state"),
    user: text(sp, "user"),
    app: text(sp, "app"),
    q: text(sp, "q"),
    sort: oneOf(first(sp, "sort"), SESSION_SORT_KEYS, "duration"),
    dir: first(sp, "dir") === "asc" ? "asc" : "desc",
  };
}
export function serializeLiveParams(p: LiveParams): URLSearchParams {
  const out = new URLSearchParams();
  if (p.window !== LIVE_DEFAULT_WINDOW) out.set("window", p.window);
  if (p.pid !== null) out.set("pid", String(p.pid));
  writeText(out, "state", p.state);
  writeText(out, "user", p.user);
  writeText(out, "app", p.app);
  writeText(out, "q", p.q);
  if (p.sort !== "duration") out.set("sort", p.sort);
  if (p.dir !== "desc") out.set("dir", p.dir);
  return out;
}

// Tables page -----------------------------------------------------------------------------

export const TABLE_TABS = ["tables", "indexes"] as const;
/** The lists are paged, sorted and filtered by the server: what is shown is in the URL. */
export interface TablesParams {
  range: TimeRange;
  tab: (typeof TABLE_TABS)[number];
  q: string | null;
  /** "schema.table" whose size history is drawn. */
  table: string | null;
  flag: IndexFlag;
  /** A sort key of the tab's list (TABLE_SORT_KEYS or INDEX_SORT_KEYS). */
  sort: TableSort | IndexSort;
  dir: "asc" | "desc";
  /** 1-based page of the list. */
  page: number;
}
export const TABLES_DEFAULT_RANGE = "24h" as const;
export function parseTablesParams(sp: SearchParamsInput): TablesParams {
  const tab = oneOf(first(sp, "tab"), TABLE_TABS, "tables");
  const page = Number(first(sp, "page"));
  return {
    range: parseTimeRange(sp, HISTORY_RANGES, TABLES_DEFAULT_RANGE),
    tab,
    q: text(sp, "q"),
    table: text(sp, "table"),
    flag: oneOf(first(sp, "flag"), INDEX_FLAGS, "all"),
    sort: oneOf<TableSort | IndexSort>(first(sp, "sort"), tab === "tables" ? TABLE_SORT_KEYS : INDEX_SORT_KEYS, DEFAULT_LIST_SORT.sort),
    dir: oneOf(first(sp, "dir"), ["asc", "desc"] as const, DEFAULT_LIST_SORT.dir),
    page: Number.isSafeInteger(page) && page > 1 ? page : 1,
  };
}
export function serializeTablesParams(p: TablesParams): URLSearchParams {
  const out = new URLSearchParams();
  writeRange(out, p.range, TABLES_DEFAULT_RANGE);
  if (p.tab !== "tables") out.set("tab", p.tab);
  writeText(out, "q", p.q);
  writeText(out, "table", p.table);
  if (p.flag !== "all") out.set("flag", p.flag);
  if (p.sort !== DEFAULT_LIST_SORT.sort) out.set("sort", p.sort);
  if (p.dir !== DEFAULT_LIST_SORT.dir) out.set("dir", p.dir);
  if (p.page > 1) out.set("page", String(p.page));
  return out;
}

// Queries pages ---------------------------------------------------------------------------

export interface QueriesParams {
  range: TimeRange;
  q: string | null;
}
export const QUERIES_DEFAULT_RANGE = "24h" as const;
export function parseQueriesParams(sp: SearchParamsInput): QueriesParams {
  return { range: parseTimeRange(sp, HISTORY_RANGES, QUERIES_DEFAULT_RANGE), q: text(sp, "q") };
}
export function serializeQueriesParams(p: QueriesParams): URLSearchParams {
  const out = new URLSearchParams();
  writeRange(out, p.range, QUERIES_DEFAULT_RANGE);
  writeText(out, "q", p.q);
  return out;
}

// Alerts page -----------------------------------------------------------------------------

export interface AlertsParams {
  range: TimeRange;
  /** History filter; the active list (firing, pending) is always shown above it. */
  state: AlertState[];
  target: string | null;
  rule: string | null;
}
export const ALERTS_DEFAULT_RANGE = "24h" as const;
export function parseAlertsParams(sp: SearchParamsInput): AlertsParams {
  const states = all(sp, "state").flatMap((s) => s.split(","));
  const valid = [...new Set(states.filter((s): s is AlertState => (ALERT_STATES as readonly string[]).includes(s)))];
  return {
    range: parseTimeRange(sp, HISTORY_RANGES, ALERTS_DEFAULT_RANGE),
    state: valid,
    target: text(sp, "target"),
    rule: text(sp, "rule"),
  };
}
export function serializeAlertsParams(p: AlertsParams): URLSearchParams {
  const out = new URLSearchParams();
  writeRange(out, p.range, ALERTS_DEFAULT_RANGE);
  if (p.state.length > 0) out.set("state", p.state.join(","));
  writeText(out, "target", p.target);
  writeText(out, "rule", p.rule);
  return out;
}

// Overview --------------------------------------------------------------------------------

export interface OverviewParams {
  window: (typeof LIVE_WINDOWS)[number];
  /** The fleet list's filters (lib/api/fleet.ts): name substring, key=value tags, statuses. */
  q: string | null;
  tag: Tag[];
  status: FleetStatus[];
}
/** Tags a fleet filter may combine: more would only ever match nothing. */
export const FLEET_FILTER_TAGS_MAX = 8;
export function parseOverviewParams(sp: SearchParamsInput): OverviewParams {
  const tags = all(sp, "tag")
    .map((t) => parseTag(t.slice(0, FILTER_TEXT_MAX)))
    .filter((t): t is Tag => t !== null);
  const unique = [...new Map(tags.map((t) => [formatTag(t), t])).values()].slice(0, FLEET_FILTER_TAGS_MAX);
  const status = all(sp, "status").flatMap((s) => s.split(",")).filter((s): s is FleetStatus => (FLEET_STATUSES as readonly string[]).includes(s));
  return { window: oneOf(first(sp, "window"), LIVE_WINDOWS, LIVE_DEFAULT_WINDOW), q: text(sp, "q"), tag: unique, status: [...new Set(status)] };
}
export function serializeOverviewParams(p: OverviewParams): URLSearchParams {
  const out = new URLSearchParams();
  if (p.window !== LIVE_DEFAULT_WINDOW) out.set("window", p.window);
  writeText(out, "q", p.q);
  for (const t of p.tag) out.append("tag", formatTag(t));
  if (p.status.length > 0) out.set("status", p.status.join(","));
  return out;
}

// Maintenance page -------------------------------------------------------------------------

export interface MaintenanceParams {
  /** The checkpoints' window. */
  window: CheckpointWindow;
  /** Filters the table and sequence lists by name. */
  q: string | null;
}

export function parseMaintenanceParams(sp: SearchParamsInput): MaintenanceParams {
  return { window: oneOf(first(sp, "window"), CHECKPOINT_WINDOWS, DEFAULT_CHECKPOINT_WINDOW), q: text(sp, "q") };
}

export function serializeMaintenanceParams(p: MaintenanceParams): URLSearchParams {
  const out = new URLSearchParams();
  if (p.window !== DEFAULT_CHECKPOINT_WINDOW) out.set("window", p.window);
  writeText(out, "q", p.q);
  return out;
}

// Replication page ------------------------------------------------------------------------

export interface ReplicationParams {
  range: (typeof HISTORY_RANGES)[number];
}
export const REPLICATION_DEFAULT_RANGE = "6h" as const;
export function parseReplicationParams(sp: SearchParamsInput): ReplicationParams {
  return { range: oneOf(first(sp, "range"), HISTORY_RANGES, REPLICATION_DEFAULT_RANGE) };
}
export function serializeReplicationParams(p: ReplicationParams): URLSearchParams {
  const out = new URLSearchParams();
  if (p.range !== REPLICATION_DEFAULT_RANGE) out.set("range", p.range);
  return out;
}
