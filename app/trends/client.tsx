"use client";

import "./print.css";
import Link from "next/link";
import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { loadCharts } from "@/components/charts/use-charts";
import { PageHeader } from "@/components/layout/page-header";
import { useTargets } from "@/components/panels/queries";
import { TrendsWeek } from "@/components/trends/week";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { cx } from "@/components/ui/cx";
import { TONE_NOTE } from "@/components/ui/palette";
import { Select } from "@/components/ui/select";
import { useUrlState } from "@/components/ui/use-url-state";
import { fetchJson } from "@/lib/api/fetch-json";
import type { trendsResponseSchema } from "@/lib/api/trends";
import { parseIsoWeek, weekBounds } from "@/lib/trends/iso-week";
import { parseTrendsParams, serializeTrendsParams, type TrendsParams } from "@/lib/trends/params";
import { trendsUrl } from "@/lib/api/urls";

/** Charts load when they near the viewport; a printout wants all of them, drawn. */
async function printWithCharts() {
  await loadCharts();
  for (let frame = 0; frame < 60 && document.querySelector('[aria-label="Loading chart"]'); frame++) await new Promise((r) => requestAnimationFrame(r));
  window.print();
}

const ZONES = ["UTC", "Europe/London", "Europe/Berlin", "America/New_York", "America/Los_Angeles", "Asia/Kolkata", "Asia/Tokyo", "Australia/Sydney"];

function weekDates(week: string, tz: string): string {
  const w = parseIsoWeek(week);
  if (!w) return week;
  const b = weekBounds(w, tz);
  return `${b.days[0].date} – ${b.days[6].date}`;
}

function hrefFor(p: TrendsParams): string {
  const qs = serializeTrendsParams(p).toString();
  return qs ? `/trends?${qs}` : "/trends";
}

export function TrendsClient({ initial }: { initial: TrendsParams }) {
  const [params, setParams] = useUrlState(initial, parseTrendsParams, serializeTrendsParams);
  const targets = useTargets();
  const q = useQuery({
    queryKey: ["trends", params.week, params.target, params.tz],
    queryFn: () => fetchJson<typeof trendsResponseSchema>(trendsUrl(params)),
    placeholderData: keepPreviousData,
    // A past week does not change; the running one is refreshed now and then.
    staleTime: 60_000,
  });
  const data = q.data;
  const zones = ZONES.includes(params.tz) ? ZONES : [params.tz, ...ZONES];
  const nav = (week: string | null) => (week ? hrefFor({ ...params, week }) : null);
  const prev = data ? nav(data.previousWeek) : null;
  const next = data ? nav(data.nextWeek) : null;

  return (
    <div className="trends-page space-y-4" data-testid="trends-page" data-state={q.isPending ? "loading" : q.error && !data ? "error" : "ready"}>
      <PageHeader
        title={data ? `Week ${data.week}` : "Weekly trends"}
        subtitle={
          data ? (
            <span data-testid="trends-range">
              {weekDates(data.week, data.tz)} ({data.tz}) against {data.previousWeek}
              {data.complete ? "" : " · week in progress"}
            </span>
          ) : undefined
        }
        actions={
          <div className="no-print flex flex-wrap items-center gap-2">
            {prev ? (
              <Link href={prev} onClick={(e) => (e.preventDefault(), setParams({ week: data!.previousWeek }))} className="rounded border px-2 py-1 text-sm" data-testid="trends-prev">
                ← {data!.previousWeek}
              </Link>
            ) : null}
            {next ? (
              <Link href={next} onClick={(e) => (e.preventDefault(), setParams({ week: data!.nextWeek }))} className="rounded border px-2 py-1 text-sm" data-testid="trends-next">
                {data!.nextWeek} →
              </Link>
            ) : null}
            <label className="text-sm">
              <span className="sr-only">Target</span>
              <Select value={params.target ?? ""} onChange={(e) => setParams({ target: e.target.value || null })} data-testid="trends-target">
                <option value="">All targets</option>
                {(targets.data?.targets ?? []).map((t) => (
                  <option key={t.id} value={t.id}>
                    {t.name}
                  </option>
                ))}
              </Select>
            </label>
            <label className="text-sm">
              <span className="sr-only">Time zone</span>
              <Select value={params.tz} onChange={(e) => setParams({ tz: e.target.value })} data-testid="trends-tz">
                {zones.map((z) => (
                  <option key={z} value={z}>
                    {z}
                  </option>
                ))}
              </Select>
            </label>
            <Button size="sm" onClick={() => void printWithCharts()} data-testid="trends-print">
              Print
            </Button>
          </div>
        }
      />
      {q.error && !data ? (
        <p role="alert" className={cx("rounded p-3 text-sm", TONE_NOTE.bad)} data-testid="trends-error">
          Could not load the week: {q.error.message}
        </p>
      ) : null}
      {q.isPending ? <div className="h-40 animate-pulse rounded bg-slate-100 dark:bg-slate-800" aria-label="Loading" /> : null}
      {data && data.targets.length === 0 ? <p className="text-sm text-slate-500 dark:text-slate-400">No target is configured.</p> : null}
      {data?.targets.map((t) => (
        <div key={t.targetId} className="trends-target space-y-4">
          {data.targets.length > 1 || t.simulated || t.previousSimulated ? (
            <h2 className="flex items-center gap-2 text-base font-semibold">
              {t.targetName} <span className="font-mono text-xs text-slate-500 dark:text-slate-400">{t.database}</span>
              {t.simulated ? (
                <Badge tone="warn" data-testid="trends-simulated">
                  simulated
                </Badge>
              ) : null}
              {t.previousSimulated && !t.simulated ? <Badge tone="muted">previous week simulated</Badge> : null}
            </h2>
          ) : null}
          <TrendsWeek t={t} week={data.week} previousWeek={data.previousWeek} tz={data.tz} />
        </div>
      ))}
    </div>
  );
}
