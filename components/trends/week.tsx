import { Card, CardHeader } from "@/components/ui/card";
import type { TargetTrends } from "@/lib/api/trends";
import { formatBytes } from "@/lib/format/bytes";
import { localTimeLabel } from "@/lib/trends/iso-week";
import { TrendsCoverage } from "./coverage";
import { TrendsDailyChart } from "./daily-chart";
import { TrendsFigure } from "./figure";
import { MEASURES } from "./format";
import { TrendsWeekTables } from "./week-tables";

// One target's week. Presentational: everything comes from the API response.

export function TrendsWeek({ t, week, previousWeek, tz }: { t: TargetTrends; week: string; previousWeek: string; tz: string }) {
  const h = t.headline;
  const at = (iso: string | null) => {
    if (!iso) return null;
    const l = localTimeLabel(new Date(iso), tz);
    return `${l.weekday} ${l.time}`;
  };
  return (
    <div className="space-y-4" data-testid={`trends-target-${t.targetId}`}>
      <Card data-testid="trends-summary">
        <CardHeader title="Summary" subtitle={t.simulated ? "This week includes simulated demo history" : undefined} />
        {t.summary.length ? <p className="text-sm leading-relaxed">{t.summary.join(" ")}</p> : <p className="text-sm text-slate-500 dark:text-slate-400">Nothing to report: no figure of this week is known.</p>}
        <div className="mt-3 space-y-1" data-testid="trends-coverage">
          <TrendsCoverage label={week} days={t.coverage.current} />
          <TrendsCoverage label={previousWeek} days={t.coverage.previous} />
          {t.simulated || t.previousSimulated ? <p className="text-xs text-slate-500 dark:text-slate-400">* simulated demo history</p> : null}
        </div>
      </Card>

      <div className="trends-grid grid grid-cols-2 gap-3 md:grid-cols-4 xl:grid-cols-6" data-testid="trends-headline">
        <TrendsFigure id="slow-count" label="Slow statements" c={h.slowCount} m={MEASURES.count} better="lower" />
        <TrendsFigure id="slow-p95" label="Slow statements p95" c={h.slowP95Ms} m={MEASURES.ms} better="lower" />
        <TrendsFigure id="cache-mean" label="Cache hit ratio (hourly mean)" c={h.cacheHitMean} m={MEASURES.pct} better="higher" />
        <TrendsFigure
          id="cache-worst"
          label="Worst hour's cache hit ratio"
          c={{ current: h.cacheHitWorst.current?.value ?? null, previous: h.cacheHitWorst.previous?.value ?? null, delta: h.cacheHitWorst.current && h.cacheHitWorst.previous ? h.cacheHitWorst.current.value - h.cacheHitWorst.previous.value : null, pct: null }}
          m={MEASURES.pct}
          better="higher"
          note={at(h.cacheHitWorst.current?.from ?? null)}
        />
        <TrendsFigure id="peak-connections" label="Peak connections" c={h.peakConnections} m={MEASURES.count} better="lower" note={h.connectionLimit !== null ? `of ${h.connectionLimit} usable · ${at(h.peakConnectionsAt) ?? ""}` : at(h.peakConnectionsAt)} />
        <TrendsFigure id="tps-mean" label="TPS (mean)" c={h.tpsMean} m={MEASURES.rate} better="neutral" />
        <TrendsFigure id="tps-peak" label="TPS (busiest hour)" c={h.tpsPeak} m={MEASURES.rate} better="neutral" note={at(h.tpsPeakAt)} />
        <TrendsFigure id="db-growth" label="Database growth" c={h.dbSizeGrowthBytes} m={MEASURES.bytes} better="neutral" note={h.dbSizeBytes !== null ? `now ${formatBytes(h.dbSizeBytes)}` : null} />
        <TrendsFigure id="alerts" label="Alerts fired" c={h.alertsFired} m={MEASURES.count} better="lower" />
        <TrendsFigure id="mtta" label="MTTA" c={h.mttaSeconds} m={MEASURES.secs} better="lower" />
        <TrendsFigure id="mttr" label="MTTR" c={h.mttrSeconds} m={MEASURES.secs} better="lower" />
      </div>

      <div className="trends-charts grid gap-3 md:grid-cols-2 xl:grid-cols-3">
        <TrendsDailyChart id="slow" title="Slow statements per day" pairs={t.daily.slowCount} f={MEASURES.count.f} week={week} previousWeek={previousWeek} />
        <TrendsDailyChart id="cache" title="Cache hit ratio (daily mean of hours)" pairs={t.daily.cacheHitMean} f={MEASURES.pct.f} week={week} previousWeek={previousWeek} reference={{ y: t.thresholds.cacheHitRatioPercent, label: `${t.thresholds.cacheHitRatioPercent} %` }} />
        <TrendsDailyChart id="tps" title="TPS (daily mean)" pairs={t.daily.tpsMean} f={MEASURES.rate.f} week={week} previousWeek={previousWeek} />
        <TrendsDailyChart id="connections" title="Peak connections per day" pairs={t.daily.peakConnections} f={MEASURES.count.f} week={week} previousWeek={previousWeek} />
        <TrendsDailyChart id="dbsize" title="Database size at day end" pairs={t.daily.dbSizeBytes} f={MEASURES.bytes.f} week={week} previousWeek={previousWeek} />
      </div>

      <TrendsWeekTables t={t} />
    </div>
  );
}
