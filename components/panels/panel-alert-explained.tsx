"use client";

import Link from "next/link";
import { cx } from "@/components/ui/cx";
import { LINK, TONE_TEXT } from "@/components/ui/palette";
import type { AlertContext } from "@/lib/api/alert-context";
import { alertLines } from "@/lib/api/alert-lines";
import type { Alert } from "@/lib/api/alerts";
import { PanelAlertChart } from "./panel-alert-chart";

// The part of an alert detail that says what happened and what to do: one sentence, the figures
// against the lines that fire and clear it, the rule's hint, the object's pages and a chart.

export function AlertExplained({ alert, context }: { alert: Alert; context: AlertContext }) {
  return (
    <div className="space-y-3">
      <p className="text-base font-medium" data-testid="alert-sentence">
        {context.sentence}
      </p>
      {alert.summary ? <p className={cx("text-sm", TONE_TEXT.secondary)}>{alert.summary}</p> : null}
      <p className="text-sm font-semibold tabular" data-testid="alert-lines">
        {alertLines(alert, context).join(" · ")}
      </p>
      {context.hint ? (
        <div className="rounded border border-sky-200 bg-sky-50 p-2 text-sm dark:border-sky-900 dark:bg-sky-950/40" data-testid="alert-hint">
          <span className="font-semibold">What to do: </span>
          {context.hint}
        </div>
      ) : null}
      <ul className="flex flex-wrap gap-x-4 gap-y-1 text-sm" data-testid="alert-links" aria-label="Where to look">
        {context.links.map((l) => (
          <li key={l.href}>
            <Link href={l.href} className={LINK} data-testid={`alert-link-${l.kind}`}>
              {l.label}
            </Link>
          </li>
        ))}
      </ul>
      <PanelAlertChart alert={alert} context={context} />
    </div>
  );
}
