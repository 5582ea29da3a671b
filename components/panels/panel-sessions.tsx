"use client";

import { useMemo } from "react";
import { BadgeState } from "@/components/ui/badge";
import { cx } from "@/components/ui/cx";
import { DataTable, type Column } from "@/components/ui/data-table";
import { MARK, TONE_TEXT } from "@/components/ui/palette";
import { Select, TextInput } from "@/components/ui/select";
import { Value } from "@/components/ui/value";
import type { Session } from "@/lib/api/activity";
import { can } from "@/lib/auth/actions";
import type { LiveParams, SessionSortKey } from "@/lib/api/search-params";
import { HIGHLIGHT_AGE_MS, REFRESH_MS } from "@/lib/limits";
import { Panel } from "./panel";
import { filterSessions } from "./filter-sessions";
import { useActivity, useMe } from "./queries";
import { SessionActions } from "./session-actions";
import { usePanelState } from "./use-panel-state";

// Every client session of the target: filterable, sortable (state in the URL) and virtualized,
// so a thousand sessions scroll smoothly. Queries and transactions over 1 s stand out.

const old = (ms: number | null) => ms !== null && ms > HIGHLIGHT_AGE_MS;

/**
 * The panel's body in every state: filters and rows scroll inside it, so neither the first
 * answer nor a change in the number of sessions moves the page below.
 */
const BODY_HEIGHT = "34rem";

function ageColumn(id: string, header: string, ms: (s: Session) => number | null): Column<Session> {
  return {
    id,
    header,
    width: "6.5rem",
    align: "right",
    cell: (s) => <Value value={ms(s)} kind="ms" className={old(ms(s)) ? cx("font-semibold", TONE_TEXT.warn) : undefined} />,
    sort: ms,
  };
}

export function PanelSessions({
  targetId,
  params,
  setParams,
  paused,
}: {
  targetId: string;
  params: LiveParams;
  setParams: (p: Partial<LiveParams>) => void;
  paused: boolean;
}) {
  const q = useActivity(targetId, paused);
  const me = useMe();
  const sessions = useMemo(() => q.data?.sessions ?? [], [q.data]);
  const shown = useMemo(() => filterSessions(sessions, params), [sessions, params]);
  const states = useMemo(() => [...new Set(sessions.map((s) => s.state).filter((s): s is string => s !== null))].sort(), [sessions]);
  const admin = can(me.data?.role, "cancel");
  const { state } = usePanelState(q, {
    sampled: { takenAt: q.data?.takenAt ?? null, cadenceMs: q.data?.cadenceMs ?? 0, slackMs: REFRESH_MS.live },
  });
  const counts = q.data?.countsByState;

  // Kept between renders, so the table re-sorts only when the sessions or the sort change.
  const columns = useMemo(() => sessionColumns(targetId, admin), [targetId, admin]);

  const sortIdFor: Record<SessionSortKey, string> = { duration: "duration", xact: "xact", pid: "pid", user: "user", application: "application", state: "state" };
  const selected = params.pid !== null ? sessions.find((s) => s.pid === params.pid) : undefined;

  return (
    <Panel
      testId="panel-sessions"
      title="Sessions"
      subtitle={
        counts
          ? `${counts.total} total · ${counts.active} active · ${counts.idleInTransaction + counts.idleInTransactionAborted} idle in transaction · ${counts.waitingLock} waiting on locks${counts.hidden ? ` · ${counts.hidden} hidden by privileges` : ""}`
          : undefined
      }
      reserveSubtitle
      state={state}
      error={q.error}
      takenAt={q.data?.takenAt}
      unavailable={q.data?.unavailable}
      bodyHeight={BODY_HEIGHT}
    >
      <div className="flex flex-col" style={{ height: BODY_HEIGHT }}>
        {params.pid !== null ? (
          <p data-testid="selected-session" className={cx("mb-2 rounded px-2 py-1 text-sm", MARK.selected)}>
            {selected ? `Session ${params.pid} is highlighted below.` : `Session ${params.pid} is not running any more.`}{" "}
            <button type="button" className="underline" onClick={() => setParams({ pid: null })}>
              clear
            </button>
          </p>
        ) : null}
        <DataTable
          label="Sessions"
          rows={shown}
          columns={columns}
          rowKey={(s) => String(s.pid)}
          rowTestId={(s) => `session-row-${s.pid}`}
          rowClassName={(s) => cx(s.pid === params.pid && MARK.selectedStrong, s.blockedBy.length > 0 && MARK.blocked)}
          detail={(s) => (
            <pre className="max-h-64 overflow-auto rounded bg-slate-100 p-2 font-mono text-xs whitespace-pre-wrap dark:bg-slate-800">
              {s.hidden ? "hidden: insufficient privilege" : (s.query ?? "")}
              {"\n\n"}backend start {s.backendStart ?? "—"} · xact start {s.xactStart ?? "—"} · query start {s.queryStart ?? "—"} · state change {s.stateChange ?? "—"}
              {s.queryId ? ` · query_id ${s.queryId}` : ""}
            </pre>
          )}
          sort={{ id: sortIdFor[params.sort], dir: params.dir }}
          onSortChange={(s) => setParams({ sort: (Object.keys(sortIdFor) as SessionSortKey[]).find((k) => sortIdFor[k] === s.id) ?? "duration", dir: s.dir })}
          csvName={`sessions-${targetId}`}
          fill
          toolbar={
            <>
              <label className="text-xs">
                <span className="sr-only">State</span>
                <Select value={params.state ?? ""} onChange={(e) => setParams({ state: e.target.value || null })} aria-label="Filter by state" data-testid="filter-state">
                  <option value="">all states</option>
                  {states.map((s) => (
                    <option key={s} value={s}>
                      {s}
                    </option>
                  ))}
                  <option value="hidden">hidden</option>
                </Select>
              </label>
              <TextInput placeholder="user" aria-label="Filter by user" defaultValue={params.user ?? ""} onChange={(e) => setParams({ user: e.target.value.trim() || null })} className="w-28" />
              <TextInput placeholder="application" aria-label="Filter by application" defaultValue={params.app ?? ""} onChange={(e) => setParams({ app: e.target.value.trim() || null })} className="w-32" />
              <TextInput placeholder="query text or pid" aria-label="Filter by query text" defaultValue={params.q ?? ""} onChange={(e) => setParams({ q: e.target.value.trim() || null })} className="w-56" data-testid="filter-text" />
            </>
          }
        />
      </div>
    </Panel>
  );
}

/** The table's columns; the actions column only for those allowed to cancel and terminate. */
function sessionColumns(targetId: string, admin: boolean): Column<Session>[] {
  const columns: Column<Session>[] = [
    { id: "pid", header: "pid", width: "5.5rem", cell: (s) => <span className="font-mono">{s.pid}</span>, sort: (s) => s.pid },
    { id: "user", header: "user", width: "8rem", cell: (s) => s.user ?? <em className="text-slate-500 dark:text-slate-400">hidden</em>, sort: (s) => s.user },
    { id: "application", header: "application", width: "9rem", cell: (s) => s.application || <span className="text-slate-500 dark:text-slate-400">—</span>, sort: (s) => s.application },
    { id: "client", header: "client", width: "8rem", cell: (s) => <span className="font-mono text-xs">{s.clientAddr ?? "local"}</span>, csv: (s) => s.clientAddr },
    { id: "state", header: "state", width: "10rem", cell: (s) => <BadgeState state={s.hidden ? null : s.state} />, sort: (s) => (s.hidden ? "hidden" : s.state) },
    {
      id: "wait",
      header: "wait event",
      width: "9rem",
      cell: (s) => (s.waitEventType ? <span className={cx("text-xs", s.waitEventType === "Lock" && cx("font-semibold", TONE_TEXT.bad))}>{`${s.waitEventType}: ${s.waitEvent ?? "?"}`}</span> : <span className="text-slate-500 dark:text-slate-400">—</span>),
      csv: (s) => (s.waitEventType ? `${s.waitEventType}:${s.waitEvent ?? ""}` : null),
    },
    ageColumn("duration", "query time", (s) => s.durationMs),
    ageColumn("xact", "xact age", (s) => s.xactAgeMs),
    {
      id: "blocked",
      header: "blocked by",
      width: "6.5rem",
      cell: (s) => (s.blockedBy.length ? <span className={cx("font-mono text-xs", TONE_TEXT.bad)}>{s.blockedBy.join(", ")}</span> : null),
      csv: (s) => s.blockedBy.join(" "),
    },
    {
      id: "query",
      header: "query",
      width: "minmax(18rem, 1fr)",
      cell: (s) => (s.hidden ? <em className="text-slate-500 dark:text-slate-400">hidden: insufficient privilege</em> : <span className="font-mono text-xs" title={s.query ?? undefined}>{s.query ?? ""}</span>),
      csv: (s) => s.query,
    },
  ];
  if (admin) columns.push({ id: "actions", header: "", width: "10rem", cell: (s) => (s.hidden ? null : <SessionActions targetId={targetId} session={s} />) });
  return columns;
}
