"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { Button } from "@/components/ui/button";
import { Dialog, DialogError } from "@/components/ui/dialog";
import { Select, TextInput } from "@/components/ui/select";
import type { ackResponseSchema, silenceResponseSchema, Alert, SilenceCreate } from "@/lib/api/alerts";
import { fetchJson } from "@/lib/api/fetch-json";
import { ALERT_COMMENT_MAX, SILENCE_MAX_MS, SILENCE_REASON_MAX } from "@/lib/limits";

// Ack and silence, for responders. Both are audited on the server with the actor's name.

const json = (body: unknown): RequestInit => ({ method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });

function useInvalidateAlerts() {
  const qc = useQueryClient();
  return () => {
    void qc.invalidateQueries({ queryKey: ["alerts"] });
    void qc.invalidateQueries({ queryKey: ["alert"] });
    void qc.invalidateQueries({ queryKey: ["alert-count"] });
    void qc.invalidateQueries({ queryKey: ["silences"] });
  };
}

export function AckButton({ alert }: { alert: Alert }) {
  const [open, setOpen] = useState(false);
  const [comment, setComment] = useState("");
  const invalidate = useInvalidateAlerts();
  const m = useMutation({
    mutationFn: () => fetchJson<typeof ackResponseSchema>(`/api/alerts/${encodeURIComponent(alert.id)}/ack`, json({ comment })),
    onSuccess: () => {
      setOpen(false);
      setComment("");
      invalidate();
    },
  });
  return (
    <>
      <Button size="sm" onClick={() => (m.reset(), setOpen(true))} data-testid="ack-button">
        Ack
      </Button>
      <Dialog open={open} title={`Acknowledge ${alert.rule}${alert.object ? ` · ${alert.object}` : ""}`} onClose={() => setOpen(false)} testId="ack-dialog">
        <form
          onSubmit={(e) => {
            e.preventDefault();
            m.mutate();
          }}
        >
          <label className="block text-sm">
            Comment (optional: what you are doing about it)
            <textarea
              value={comment}
              maxLength={ALERT_COMMENT_MAX}
              onChange={(e) => setComment(e.target.value)}
              rows={3}
              data-testid="ack-comment"
              className="mt-1 w-full rounded border border-slate-300 bg-white p-2 text-sm dark:border-slate-600 dark:bg-slate-800"
            />
          </label>
          <DialogError message={m.error?.message} className="mt-2" />
          <div className="mt-3 flex justify-end gap-2">
            <Button onClick={() => setOpen(false)}>Cancel</Button>
            <Button type="submit" variant="primary" disabled={m.isPending} data-testid="ack-submit">
              {m.isPending ? "Acknowledging…" : "Acknowledge"}
            </Button>
          </div>
        </form>
      </Dialog>
    </>
  );
}

const DURATIONS = [
  { label: "1 hour", ms: 3_600_000 },
  { label: "2 hours", ms: 2 * 3_600_000 },
  { label: "4 hours", ms: 4 * 3_600_000 },
  { label: "8 hours", ms: 8 * 3_600_000 },
  { label: "24 hours", ms: 24 * 3_600_000 },
  { label: "7 days", ms: 7 * 86_400_000 },
];

export function SilenceButton({ alert, label = "Silence" }: { alert?: Pick<Alert, "rule" | "target" | "object">; label?: string }) {
  const [open, setOpen] = useState(false);
  const [rule, setRule] = useState(alert?.rule ?? "");
  const [target, setTarget] = useState(alert?.target ?? "");
  const [objectPattern, setObjectPattern] = useState(alert?.object ?? "");
  const [durationMs, setDurationMs] = useState(DURATIONS[1].ms);
  const [reason, setReason] = useState("");
  const invalidate = useInvalidateAlerts();
  const m = useMutation({
    mutationFn: () => {
      const body: SilenceCreate = {
        matchers: { rule: rule || undefined, target: target || undefined, objectPattern: objectPattern || undefined },
        endsAt: new Date(Date.now() + Math.min(durationMs, SILENCE_MAX_MS)).toISOString(),
        reason,
      };
      return fetchJson<typeof silenceResponseSchema>("/api/silences", json(body));
    },
    onSuccess: () => {
      setOpen(false);
      invalidate();
    },
  });
  const noMatcher = !rule && !target && !objectPattern;
  return (
    <>
      <Button size="sm" onClick={() => (m.reset(), setOpen(true))} data-testid="silence-button">
        {label}
      </Button>
      <Dialog open={open} title="Silence notifications" onClose={() => setOpen(false)} testId="silence-dialog">
        <form
          className="space-y-2 text-sm"
          onSubmit={(e) => {
            e.preventDefault();
            m.mutate();
          }}
        >
          <p className="text-xs text-slate-500 dark:text-slate-400">Matching alerts still change state and are recorded; they only stop notifying until the silence ends.</p>
          <label className="block">
            Rule <TextInput value={rule} onChange={(e) => setRule(e.target.value)} className="w-full" placeholder="any rule" />
          </label>
          <label className="block">
            Target <TextInput value={target} onChange={(e) => setTarget(e.target.value)} className="w-full" placeholder="any target" />
          </label>
          <label className="block">
            Object pattern (<code>*</code> matches anything) <TextInput value={objectPattern} onChange={(e) => setObjectPattern(e.target.value)} className="w-full font-mono" placeholder="any object" />
          </label>
          <label className="block">
            For{" "}
            <Select value={durationMs} onChange={(e) => setDurationMs(Number(e.target.value))}>
              {DURATIONS.map((d) => (
                <option key={d.ms} value={d.ms}>
                  {d.label}
                </option>
              ))}
            </Select>
          </label>
          <label className="block">
            Reason (required)
            <TextInput value={reason} maxLength={SILENCE_REASON_MAX} onChange={(e) => setReason(e.target.value)} className="w-full" placeholder="maintenance window, known issue…" data-testid="silence-reason" />
          </label>
          {noMatcher ? <p className="text-xs text-amber-700">Give at least one matcher.</p> : null}
          <DialogError message={m.error?.message} />
          <div className="flex justify-end gap-2 pt-2">
            <Button onClick={() => setOpen(false)}>Cancel</Button>
            <Button type="submit" variant="primary" disabled={m.isPending || noMatcher || !reason.trim()} data-testid="silence-submit">
              {m.isPending ? "Saving…" : "Silence"}
            </Button>
          </div>
        </form>
      </Dialog>
    </>
  );
}
