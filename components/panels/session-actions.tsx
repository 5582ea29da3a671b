"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { Button } from "@/components/ui/button";
import { ConfirmDialog } from "@/components/ui/dialog";
import { TONE_TEXT } from "@/components/ui/palette";
import type { sessionActionResponseSchema, Session, SessionAction } from "@/lib/api/activity";
import { fetchJson } from "@/lib/api/fetch-json";

// Admin-only. The server checks the role again, runs pg_cancel_backend / pg_terminate_backend
// and writes the audit record; this only asks for confirmation first.

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
    onSuccess: () => {
      setAction(null);
      void qc.invalidateQueries({ queryKey: ["activity", targetId] });
    },
  });
  return (
    <span className="inline-flex gap-1">
      <Button size="sm" variant="ghost" onClick={() => (m.reset(), setAction("cancel"))} data-testid={`cancel-${session.pid}`}>
        Cancel
      </Button>
      <Button size="sm" variant="ghost" className={TONE_TEXT.bad} onClick={() => (m.reset(), setAction("terminate"))} data-testid={`terminate-${session.pid}`}>
        Terminate
      </Button>
      <ConfirmDialog
        open={action !== null}
        title={action ? `${WHAT[action].label}: pid ${session.pid}?` : ""}
        confirmLabel={action ? WHAT[action].label : ""}
        danger={action === "terminate"}
        busy={m.isPending}
        error={m.error?.message ?? (m.data && !m.data.ok ? "The session had already ended." : null)}
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
