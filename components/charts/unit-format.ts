import type { SeriesUnit } from "@/lib/api/series";
import { formatBytes } from "@/lib/format/bytes";
import { formatSeconds } from "@/lib/format/duration";
import { formatCompact, formatPercent, formatRatio } from "@/lib/format/number";

/** Units live in the value formatter, so axes and tooltips read "12.3/s", "93 %", "4.5 s". */
export function formatterForUnit(unit: SeriesUnit): (v: number) => string {
  switch (unit) {
    case "per_second":
      return (v) => `${formatCompact(v)}/s`;
    case "per_minute":
      return (v) => `${formatCompact(v)}/min`;
    case "percent":
      return (v) => formatPercent(v);
    case "ratio":
      return (v) => formatRatio(v);
    case "seconds":
      return (v) => formatSeconds(v);
    case "bytes":
      return (v) => formatBytes(v);
    case "bytes_per_second":
      return (v) => `${formatBytes(v)}/s`;
    case "count":
      return (v) => formatCompact(v);
  }
}
