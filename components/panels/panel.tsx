"use client";

import type { ReactNode, Ref } from "react";
import { Card, CardHeader } from "@/components/ui/card";
import { cx } from "@/components/ui/cx";
import { EmptyState, fixFor } from "@/components/ui/empty-state";
import { TONE_NOTE } from "@/components/ui/palette";
import { useNow } from "@/components/ui/use-now";
import { formatAgo } from "@/lib/format/time";
import type { PanelState } from "./panel-state";

// The frame every panel shares: title, the data-state attribute tests wait on, and the five
// states drawn distinctly. Children render only when there is data (ready or stale).

export function Panel({
  testId,
  title,
  subtitle,
  actions,
  state,
  error,
  takenAt,
  empty,
  unavailable,
  children,
  className,
  slot,
}: {
  testId: string;
  title: ReactNode;
  subtitle?: ReactNode;
  actions?: ReactNode;
  state: PanelState;
  error?: Error | null;
  /** The sample time, for the stale notice. */
  takenAt?: string | null;
  /** What "no data yet" means here and what to do. */
  empty?: ReactNode;
  /** The server's reason the data cannot exist on this target. */
  unavailable?: string | null;
  children?: ReactNode;
  className?: string;
  /** For a chart panel: its frame, always rendered, starts the chart chunk's load in view. */
  slot?: Ref<HTMLElement>;
}) {
  const now = useNow(1000);
  const shown = unavailable && state === "empty" ? "empty" : state;
  return (
    <Card ref={slot} data-testid={testId} data-state={shown} aria-busy={state === "loading"} className={className}>
      <CardHeader title={title} subtitle={subtitle} actions={actions} />
      {state === "loading" ? (
        <div role="status" className="h-24 animate-pulse rounded bg-slate-100 dark:bg-slate-800" aria-label="Loading" />
      ) : state === "error" ? (
        <p role="alert" className={cx("rounded p-3 text-sm", TONE_NOTE.bad)}>
          Could not load: {error?.message ?? "unknown error"}
        </p>
      ) : state === "empty" ? (
        unavailable ? (
          <EmptyState title={`Unavailable: ${unavailable.replace(/^unavailable:\s*/i, "")}`} action={fixFor(unavailable)} />
        ) : (
          <EmptyState title="No data yet" action={empty ?? "The collector has not sampled this yet; it appears within one cadence."} />
        )
      ) : (
        <>
          {state === "stale" ? (
            <p data-testid={`${testId}-stale`} className={cx("mb-2 rounded px-2 py-1 text-xs", TONE_NOTE.warn)}>
              stale — last sample {takenAt ? formatAgo(takenAt, now) : "unknown"}
              {error ? ` · refresh failed: ${error.message}` : ""}
            </p>
          ) : null}
          {children}
        </>
      )}
    </Card>
  );
}
