import { Badge } from "@/components/ui/badge";
import type { TargetTrends } from "@/lib/api/trends";
import { formatBytes } from "@/lib/format/bytes";
import { UNKNOWN } from "@/lib/format/number";
import { bytes, day, fmtOr, MEASURES, ms, pct, projectionDays, projectionText, secs, signedChange } from "./format";
import { TrendsTable } from "./table";

const STATUS_TONE = { new: "info", worse: "bad", better: "good", same: "muted", gone: "neutral" } as const;

/** The week's lists: growing tables, bloat, new unused indexes, slow statements, alerts. */
export function TrendsWeekTables({ t }: { t: TargetTrends }) {
  const threshold = formatBytes(t.thresholds.tableSizeBytes);
  return (
    <>
      <TrendsTable
        id="tables"
        title="Fastest-growing tables"
        subtitle={`Growth this week and the projected day each crosses ${threshold}`}
        rows={t.tables}
        empty={t.tablesAvailable ? "No table size snapshots this week." : "No size snapshots are stored for this week (snapshots are kept 31 days)."}
        columns={[
          { header: "Table", value: (r) => r.objectKey, cell: (r) => <span className="font-mono">{r.objectKey}</span> },
          { header: "Size", value: (r) => r.sizeBytes, cell: (r) => fmtOr(bytes)(r.sizeBytes), right: true },
          { header: "Growth", value: (r) => r.growthBytes, cell: (r) => fmtOr(bytes)(r.growthBytes), right: true },
          { header: "Per day", value: (r) => r.growthBytesPerDay, cell: (r) => fmtOr(bytes)(r.growthBytesPerDay), right: true },
          { header: `Crosses ${threshold}`, value: (r) => (r.alreadyOver ? "already over" : r.crossesAt), cell: (r) => (r.alreadyOver ? <Badge tone="bad">already over</Badge> : day(r.crossesAt)) },
          { header: "Last week's projection", value: (r) => r.previousCrossesAt, cell: (r) => day(r.previousCrossesAt) },
          {
            // In whole days between the two dates as printed, so the change never contradicts them.
            header: "Change (days)",
            value: (r) => projectionDays(r.crossesAt, r.previousCrossesAt),
            cell: (r) => projectionText(projectionDays(r.crossesAt, r.previousCrossesAt)),
            right: true,
          },
        ]}
      />

      <div className="grid grid-cols-1 gap-3 xl:grid-cols-2">
        <TrendsTable
          id="bloat"
          title="Indexes whose bloat rose most"
          subtitle="Reliable estimates only, first against last snapshot of the week"
          rows={t.bloat}
          empty="No bloat estimate this week."
          columns={[
            { header: "Index", value: (r) => r.objectKey, cell: (r) => <span className="font-mono">{r.objectKey}</span> },
            { header: "Bloat", value: (r) => r.bloatPercent, cell: (r) => fmtOr(pct)(r.bloatPercent), right: true },
            { header: "At week start", value: (r) => r.previousBloatPercent, cell: (r) => fmtOr(pct)(r.previousBloatPercent), right: true },
            { header: "Change (points)", value: (r) => r.deltaPoints, cell: (r) => (r.deltaPoints === null ? UNKNOWN : signedChange(r.deltaPoints, MEASURES.pct).text), right: true },
            { header: "Wasted", value: (r) => r.wastedBytes, cell: (r) => fmtOr(bytes)(r.wastedBytes), right: true },
          ]}
        />
        <TrendsTable
          id="unused"
          title="New unused indexes"
          subtitle="Unused at the week's end, not at its start"
          rows={t.unusedIndexes}
          empty="No index became unused this week."
          columns={[
            { header: "Index", value: (r) => r.objectKey, cell: (r) => <span className="font-mono">{r.objectKey}</span> },
            { header: "Size", value: (r) => r.sizeBytes, cell: (r) => fmtOr(bytes)(r.sizeBytes), right: true },
            { header: "Definition", value: (r) => r.definition, cell: (r) => <span className="font-mono text-xs">{r.definition ?? UNKNOWN}</span> },
          ]}
        />
      </div>

      <TrendsTable
        id="fingerprints"
        title="Top slow statements"
        subtitle="By total time this week; status against last week"
        rows={t.fingerprints}
        empty="No slow statement in either week."
        columns={[
          { header: "Status", value: (r) => r.status, cell: (r) => <Badge tone={STATUS_TONE[r.status]}>{r.status}</Badge> },
          { header: "Statement", value: (r) => r.query, cell: (r) => <span className="line-clamp-2 font-mono text-xs" title={r.query}>{r.query}</span> },
          { header: "Count", value: (r) => r.count, right: true },
          { header: "Last week", value: (r) => r.previousCount, right: true },
          { header: "p95", value: (r) => r.p95Ms, cell: (r) => fmtOr(ms)(r.p95Ms), right: true },
          { header: "p95 last week", value: (r) => r.previousP95Ms, cell: (r) => fmtOr(ms)(r.previousP95Ms), right: true },
          { header: "Fingerprint", value: (r) => r.fingerprint, cell: (r) => <span className="font-mono text-xs">{r.fingerprint.slice(0, 16)}</span> },
        ]}
      />

      <TrendsTable
        id="alerts"
        title="Alerts fired by rule"
        rows={t.alerts}
        empty="No alert fired in either week."
        columns={[
          { header: "Rule", value: (r) => r.rule },
          { header: "Fired", value: (r) => r.fired, right: true },
          { header: "Last week", value: (r) => r.previousFired, right: true },
          { header: "Acknowledged", value: (r) => r.acknowledged, right: true },
          { header: "Resolved", value: (r) => r.resolved, right: true },
          { header: "MTTA", value: (r) => r.mttaSeconds, cell: (r) => fmtOr(secs)(r.mttaSeconds), right: true },
          { header: "MTTR", value: (r) => r.mttrSeconds, cell: (r) => fmtOr(secs)(r.mttrSeconds), right: true },
        ]}
      />
    </>
  );
}
