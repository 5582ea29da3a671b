"use client";

import Link from "next/link";
import { useQuery } from "@tanstack/react-query";
import { alertCountSchema } from "@/lib/api/alerts";
import { fetchJson } from "@/lib/api/fetch-json";
import { REFRESH_MS } from "@/lib/limits";
import { cx } from "@/components/ui/cx";

/** Firing alerts by severity, on every page. Unknown (request failed) is shown as "?", not 0. */
export function AlertBadge() {
  // Same key as the alerts page invalidates after an ack.
  const q = useQuery({ queryKey: ["alert-count"], queryFn: () => fetchJson("/api/alerts/count", alertCountSchema), refetchInterval: REFRESH_MS.alertCount });
  const c = q.data;
  const firing = c ? c.firing.critical + c.firing.warning + c.firing.info : null;
  const state = q.isPending ? "loading" : q.isError && !c ? "error" : "ready";
  const tone =
    c === undefined ? "bg-slate-600" : c.firing.critical > 0 ? "bg-red-600" : c.firing.warning > 0 ? "bg-amber-500 text-black" : firing ? "bg-sky-600" : "bg-slate-600";
  const title = c
    ? `${c.firing.critical} critical, ${c.firing.warning} warning, ${c.firing.info} info firing; ${c.pending} pending`
    : q.isError
      ? `alert count unavailable: ${q.error.message}`
      : "loading";
  return (
    <Link
      href="/alerts"
      data-testid="nav-alert-badge"
      data-state={state}
      data-firing={firing ?? undefined}
      title={title}
      className="inline-flex items-center gap-1 rounded px-2 py-1 text-sm text-slate-200 hover:bg-slate-800 hover:text-white focus-visible:outline-2 focus-visible:outline-sky-400"
    >
      Alerts
      <span className={cx("min-w-5 rounded-full px-1.5 text-center text-xs font-semibold tabular text-white", tone)}>
        {firing === null ? "?" : firing}
      </span>
      {c && c.pending > 0 ? <span className="text-xs text-amber-300 tabular">+{c.pending} pending</span> : null}
    </Link>
  );
}
