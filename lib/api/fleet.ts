// The fleet overview's one rule of trouble, shared by the server (which names each target's
// status) and the browser (which sorts and filters the list). Free of zod and server imports.

/**
 * Worst first. "unknown": nobody has polled the target yet, or the instance holding it stopped
 * renewing its lease — not known to be fine, so above "ok", below anything known to be wrong.
 */
export const FLEET_STATUSES = ["down", "critical", "warning", "unknown", "ok"] as const;
export type FleetStatus = (typeof FLEET_STATUSES)[number];

const RANK: Record<FleetStatus, number> = Object.fromEntries(FLEET_STATUSES.map((s, i) => [s, i])) as Record<FleetStatus, number>;

export interface StatusInput {
  /** null: not polled yet (or nobody polls it). */
  up: boolean | null;
  firing: { critical: number; warning: number };
}

/** Down beats any alert (a down target's alerts are stale); then the worst firing severity. */
export function fleetStatus(s: StatusInput): FleetStatus {
  if (s.up === false) return "down";
  if (s.firing.critical > 0) return "critical";
  if (s.firing.warning > 0) return "warning";
  if (s.up === null) return "unknown";
  return "ok";
}

export interface FleetRowKey {
  name: string;
  status: FleetStatus;
}

/** By trouble, then by name (case-insensitive, numbers in order: db2 before db10). */
export function compareTrouble(a: FleetRowKey, b: FleetRowKey): number {
  return RANK[a.status] - RANK[b.status] || a.name.localeCompare(b.name, "en", { numeric: true, sensitivity: "base" });
}

export interface Tag {
  key: string;
  value: string;
}

/** "env=prod" → {env, prod}; null for anything without a key and a value. */
export function parseTag(s: string): Tag | null {
  const i = s.indexOf("=");
  if (i <= 0 || i === s.length - 1) return null;
  return { key: s.slice(0, i).trim(), value: s.slice(i + 1).trim() };
}

export const formatTag = (t: Tag) => `${t.key}=${t.value}`;

export interface FleetFilter {
  /** Substring of the name or id, case-insensitive. */
  q: string | null;
  /** Every tag must match (env=prod and team=core: both). */
  tags: readonly Tag[];
  /** Any of these statuses; empty: all. */
  status: readonly FleetStatus[];
}

export interface FilterableRow extends FleetRowKey {
  id: string;
  tags: Readonly<Record<string, string>>;
}

export function matchesFleetFilter(row: FilterableRow, f: FleetFilter): boolean {
  if (f.q) {
    const q = f.q.toLowerCase();
    if (!row.name.toLowerCase().includes(q) && !row.id.toLowerCase().includes(q)) return false;
  }
  if (!f.tags.every((t) => row.tags[t.key] === t.value)) return false;
  return f.status.length === 0 || f.status.includes(row.status);
}

/** The rows a filter keeps, worst first. */
export function fleetView<T extends FilterableRow>(rows: readonly T[], f: FleetFilter): T[] {
  return rows.filter((r) => matchesFleetFilter(r, f)).sort(compareTrouble);
}

/** Every key=value the fleet carries, for the tag picker, sorted. */
export function fleetTags(rows: ReadonlyArray<Pick<FilterableRow, "tags">>): string[] {
  const seen = new Set<string>();
  for (const r of rows) for (const [key, value] of Object.entries(r.tags)) seen.add(formatTag({ key, value }));
  return [...seen].sort();
}
