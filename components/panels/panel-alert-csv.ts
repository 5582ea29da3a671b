import type { Alert } from "@/lib/api/alerts";
import type { CsvColumn } from "@/lib/format/csv";

// The alert CSV (active and history alike): severity by name, and value and threshold in
// columns named by their unit ("value_ms", "threshold_bytes"), since one export mixes rules
// measured in different units. A spreadsheet gets plain numbers it can sum within a column.

/** The header suffix of each contract unit; a yes/no rule (no unit) reads 1 up, 0 down. */
const UNIT_SUFFIX: Record<string, string> = { ms: "ms", seconds: "seconds", bytes: "bytes", percent: "percent", count: "count", xid: "xid_age", ratio: "ratio" };
const suffixOf = (unit: string | null) => (unit === null ? "up" : (UNIT_SUFFIX[unit] ?? unit));

export function alertCsvColumns(alerts: readonly Alert[]): CsvColumn<Alert>[] {
  const suffixes = [...new Set(alerts.map((a) => suffixOf(a.unit)))].sort();
  return [
    { header: "id", value: (a) => a.id },
    { header: "state", value: (a) => a.state },
    { header: "severity", value: (a) => a.severity },
    { header: "rule", value: (a) => a.rule },
    { header: "target", value: (a) => a.target },
    { header: "object", value: (a) => a.object },
    ...suffixes.flatMap((s): CsvColumn<Alert>[] => [
      { header: `value_${s}`, value: (a) => (suffixOf(a.unit) === s ? a.value : null) },
      { header: `threshold_${s}`, value: (a) => (suffixOf(a.unit) === s ? a.threshold : null) },
    ]),
    { header: "since", value: (a) => a.since },
    { header: "resolved_at", value: (a) => a.resolvedAt },
    { header: "acknowledged_by", value: (a) => a.acknowledgedBy },
    { header: "silenced_by", value: (a) => a.silencedBy?.id ?? null },
    { header: "summary", value: (a) => a.summary },
  ];
}
