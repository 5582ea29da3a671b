import type { MetricResult } from "@/lib/metrics/types";

// Targets on one PostgreSQL server (one target per database) share the server's cluster-scope
// metrics: one member — the "owner" — collects them, and each result is split among the
// members. Without this, 50 targets on one server each polled pg_stat_activity and
// pg_stat_database for the whole server, and each raised alerts about the others' databases.
//
// Attribution: a cluster-wide view whose rows carry `datname` (pg_stat_database,
// pg_database_size, pg_stat_activity, pg_stat_progress_vacuum) gives each member the rows of
// its own database; rows of databases no member watches (and rows without a database, such as
// background workers) stay with the owner, so a lone target on a server sees what it always
// saw. A view without `datname` (connections, WAL, checkpoints, replication) goes to the
// owner's sinks only — stored and evaluated once per server — and into every member's
// snapshot, so each target's live pages still show its server's figures.

/**
 * A server's identity: host and port of the target's URL. Not the system identifier the probe
 * reads — a physical standby keeps its primary's, so it names a lineage, not a server — and
 * known before the first connection, so grouping never waits for a probe.
 */
export function serverKey(url: string): string {
  try {
    const u = new URL(url);
    const host = u.hostname || u.searchParams.get("host") || "localhost";
    return `${host.toLowerCase()}:${u.port || "5432"}`;
  } catch {
    return url; // an unparsable URL is refused by the config schema; never shared
  }
}

/** What the share needs of one member collector. */
export interface ShareMember {
  targetId: string;
  /** The watched database: current_database() once probed, else the URL's. */
  database(): string;
  /** Whether the member's last probe answered: a member that cannot connect does not own. */
  isUp(): boolean;
  /** Takes its part of a result another member collected; `toSinks` false: snapshot only. */
  receive(result: MetricResult, toSinks: boolean): void;
}

export interface ShareMembership {
  /** Whether this member runs the server's cluster-scope tasks now. */
  owns(): boolean;
  /** Hands the others their part of a cluster-scope result; returns this member's part. */
  split(result: MetricResult): MetricResult;
  leave(): void;
}

export interface ServerShares {
  join(key: string, member: ShareMember): ShareMembership;
  /** Members per server key (for health and tests). */
  servers(): Map<string, string[]>;
}

export function createServerShares(): ServerShares {
  const groups = new Map<string, ShareMember[]>();

  /** The first member (by target id) that is up: stable while it stays up and joined. */
  function owner(members: readonly ShareMember[]): ShareMember | undefined {
    return members.find((m) => m.isUp());
  }

  return {
    join(key, member) {
      const members = groups.get(key) ?? [];
      members.push(member);
      members.sort((a, b) => a.targetId.localeCompare(b.targetId));
      groups.set(key, members);
      return {
        owns: () => owner(members) === member,
        split(result) {
          const others = members.filter((m) => m !== member);
          if (others.length === 0) return result;
          if (result.status !== "ok") return result; // a failure is the owner's to report
          if (!result.rows.some((r) => "datname" in r)) {
            for (const m of others) m.receive({ ...result, targetId: m.targetId }, false);
            return result;
          }
          const byDb = new Map(others.map((m) => [m.database(), m]));
          const parts = new Map<ShareMember, Record<string, unknown>[]>(others.map((m) => [m, []]));
          const own: Record<string, unknown>[] = [];
          for (const row of result.rows) {
            const to = typeof row.datname === "string" && row.datname !== member.database() ? byDb.get(row.datname) : undefined;
            (to ? parts.get(to)! : own).push(row);
          }
          for (const [m, rows] of parts) m.receive({ ...result, targetId: m.targetId, rows }, true);
          return { ...result, rows: own };
        },
        leave() {
          const i = members.indexOf(member);
          if (i >= 0) members.splice(i, 1);
          if (members.length === 0) groups.delete(key);
        },
      };
    },
    servers: () => new Map([...groups].map(([k, ms]) => [k, ms.map((m) => m.targetId)])),
  };
}
