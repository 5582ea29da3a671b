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
  bodyHeight,
  reserveSubtitle,
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
  /**
   * The height the loaded content takes (CSS length), kept by every state: the loading
   * placeholder fills it and a shorter answer (none, failed) sits in it, so the first data
   * moves nothing below the panel.
   */
  bodyHeight?: string;
  /** The subtitle comes with the data: its line is kept from the first render. */
  reserveSubtitle?: boolean;
}) {
  const shown = unavailable && state === "empty" ? "empty" : state;
  const body = (
    <PanelBody state={state} testId={testId} error={error} takenAt={takenAt} empty={empty} unavailable={unavailable} bodyHeight={bodyHeight}>
      {children}
    </PanelBody>
  );
  return (
    <Card ref={slot} data-testid={testId} data-state={shown} aria-busy={state === "loading"} className={className}>
      <CardHeader title={title} subtitle={subtitle} actions={actions} reserveSubtitle={reserveSubtitle} />
      {bodyHeight ? <div style={{ minHeight: bodyHeight }}>{body}</div> : body}
    </Card>
  );
}

function PanelBody({
  state,
  testId,
  error,
  takenAt,
  empty,
  unavailable,
  bodyHeight,
  children,
}: {
  state: PanelState;
  testId: string;
  error?: Error | null;
  takenAt?: string | null;
  empty?: ReactNode;
  unavailable?: string | null;
  bodyHeight?: string;
  children?: ReactNode;
}) {
  return state === "loading" ? (
    <div role="status" className={cx("animate-pulse rounded bg-slate-100 dark:bg-slate-800", !bodyHeight && "h-24")} style={bodyHeight ? { height: bodyHeight } : undefined} aria-label="Loading" />
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
          stale — last sample {takenAt ? <Ago iso={takenAt} /> : "unknown"}
          {error ? ` · refresh failed: ${error.message}` : ""}
        </p>
      ) : null}
      {children}
    </>
  );
}

/** "N s ago" that keeps counting: its own clock, so only the notice re-renders every second. */
function Ago({ iso }: { iso: string }) {
  const now = useNow(1000);
  return <>{formatAgo(iso, now)}</>;
}
