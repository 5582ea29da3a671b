"use client";

import Link from "next/link";
import { useAlertCount } from "@/components/panels/queries";
import { cx } from "@/components/ui/cx";
import { TONE_SOLID } from "@/components/ui/palette";

/** Firing alerts by severity, on every page. Unknown (request failed) is shown as "?", not 0. */
export function AlertBadge() {
  const q = useAlertCount();
  const c = q.data;
  const firing = c ? c.firing.critical + c.firing.warning + c.firing.info : null;
  const state = q.isPending ? "loading" : q.isError && !c ? "error" : "ready";
  const tone = TONE_SOLID[c === undefined ? "muted" : c.firing.critical > 0 ? "bad" : c.firing.warning > 0 ? "warn" : firing ? "info" : "muted"];
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
      <span className={cx("min-w-5 rounded-full px-1.5 text-center text-xs font-semibold tabular", tone)}>
        {firing === null ? "?" : firing}
      </span>
      {c && c.pending > 0 ? <span className="text-xs text-amber-300 tabular">+{c.pending} pending</span> : null}
    </Link>
  );
}
