"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { Button } from "@/components/ui/button";
import { ConfirmDialog, Dialog } from "@/components/ui/dialog";
import { cx } from "@/components/ui/cx";
import { TONE_TEXT } from "@/components/ui/palette";
import type { Session, SessionAction, SessionActionResponse, sessionActionResponseSchema } from "@/lib/api/activity";
import { fetchJson } from "@/lib/api/fetch-json";
import { describeSessionAction } from "./session-action-result";

// Admin-only. The server checks the role again, runs pg_cancel_backend / pg_terminate_backend,
// writes the audit record and watches for the effect; this asks for confirmation first, then
// says what happened (ended or not, how fast) until closed, and refetches the sessions at once.
// The answer is kept in the query cache and shown by SessionActionResult, mounted once on the
// page: a terminated session's row (and these buttons with it) leaves the table at the refetch.

const resultKey = (targetId: string) => ["session-action-result", targetId] as const;

const WHAT: Record<SessionAction, { label: string; consequence: string }> = {
  cancel: { label: "Cancel query", consequence: "The running statement is cancelled; the session stays connected and its transaction is rolled back if it was inside one." },
  terminate: { label: "Terminate backend", consequence: "The connection is closed; any open transaction is rolled back and the client sees an error." },
};

export function SessionActions({ targetId, session }: { targetId: string; session: Session }) {
  const [action, setAction] = useState<SessionAction | null>(null);
  const qc = useQueryClient();
  const m = useMutation({
    mutationFn: (a: SessionAction) =>
      fetchJson<typeof sessionActionResponseSchema>(`/api/targets/${encodeURIComponent(targetId)}/sessions/${session.pid}/${a}`, { method: "POST" }),
    onSuccess: (answer) => {
      qc.setQueryData(resultKey(targetId), answer);
      setAction(null);
    },
    // The server took a fresh sessions sample before answering: refetch now, not at the next poll.
    onSettled: () => qc.invalidateQueries({ queryKey: ["activity", targetId] }),
  });
  const open = (a: SessionAction) => {
    m.reset();
    setAction(a);
  };
  return (
    <span className="inline-flex gap-1">
      <Button size="sm" variant="ghost" onClick={() => open("cancel")} data-testid={`cancel-${session.pid}`}>
        Cancel
      </Button>
      <Button size="sm" variant="ghost" className={TONE_TEXT.bad} onClick={() => open("terminate")} data-testid={`terminate-${session.pid}`}>
        Terminate
      </Button>
      <ConfirmDialog
        open={action !== null}
        title={action ? `${WHAT[action].label}: pid ${session.pid}?` : ""}
        confirmLabel={action ? WHAT[action].label : ""}
        danger={action === "terminate"}
        busy={m.isPending}
        error={m.error?.message ?? null}
        onConfirm={() => action && m.mutate(action)}
        onClose={() => setAction(null)}
        testId="session-action-dialog"
        body={
          <>
            <p>{action ? WHAT[action].consequence : null}</p>
            <p className="mt-2 text-xs text-slate-500 dark:text-slate-400">
              {session.user ?? "?"} · {session.application || "no application_name"} · {session.clientAddr ?? "local"}
            </p>
            {session.query ? <pre className="mt-2 max-h-40 overflow-auto rounded bg-slate-100 p-2 font-mono text-xs whitespace-pre-wrap dark:bg-slate-800">{session.query}</pre> : null}
            <p className="mt-2 text-xs">This action is recorded in the audit log with your name.</p>
          </>
        }
      />
    </span>
  );
}

/** The last cancel/terminate answer on this target's page, until closed. */
export function SessionActionResult({ targetId }: { targetId: string }) {
  const qc = useQueryClient();
  // Written by SessionActions with setQueryData; never fetched.
  const q = useQuery<SessionActionResponse | null>({ queryKey: resultKey(targetId), queryFn: () => null, enabled: false, staleTime: Infinity });
  const answer = q.data ?? null;
  if (!answer) return null;
  const result = describeSessionAction(answer);
  const close = () => qc.setQueryData(resultKey(targetId), null);
  return (
    <Dialog open title={`${WHAT[answer.action].label}: pid ${answer.pid}`} onClose={close} testId="session-action-result-dialog">
      <p role="status" className={cx("text-sm", TONE_TEXT[result.tone])} data-testid="session-action-result" data-outcome={answer.outcome}>
        {result.text}
      </p>
      <div className="mt-4 flex justify-end">
        <Button onClick={close} data-testid="session-action-close">
          Close
        </Button>
      </div>
    </Dialog>
  );
}
