"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { z } from "zod";
import { Button } from "@/components/ui/button";
import { useNow } from "@/components/ui/use-now";
import { fetchJson } from "@/lib/api/fetch-json";
import { can } from "@/lib/api/me";
import { formatAgo } from "@/lib/format/time";
import { CADENCE_MS } from "@/lib/limits";
import { Panel } from "./panel";
import { panelState } from "./panel-state";
import { useMe, useSilences } from "./queries";

/** Active silences (maintenance windows), with who set them, why, and until when. */
export function PanelSilences() {
  const q = useSilences();
  const me = useMe();
  const qc = useQueryClient();
  const now = useNow(5000);
  const expire = useMutation({
    mutationFn: (id: string) => fetchJson(`/api/silences/${encodeURIComponent(id)}`, z.unknown(), { method: "DELETE" }),
    onSuccess: () => void qc.invalidateQueries({ queryKey: ["silences"] }),
  });
  const active = (q.data?.silences ?? []).filter((s) => s.active);
  const state = panelState({ isPending: q.isPending, error: q.error, hasData: q.data !== undefined, takenAt: null, cadenceMs: CADENCE_MS.alerts * 3, now });
  return (
    <Panel testId="panel-silences" title="Active silences" state={state} error={q.error ?? expire.error}>
      {active.length === 0 ? (
        <p className="text-sm text-slate-600 dark:text-slate-300">No active silence: every alert notifies.</p>
      ) : (
        <ul className="space-y-1 text-sm">
          {active.map((s) => (
            <li key={s.id} data-testid={`silence-${s.id}`} className="flex flex-wrap items-center gap-2">
              <span className="font-mono text-xs">
                {[s.matchers.rule && `rule=${s.matchers.rule}`, s.matchers.target && `target=${s.matchers.target}`, s.matchers.objectPattern && `object~${s.matchers.objectPattern}`].filter(Boolean).join(" ")}
              </span>
              <span className="text-xs text-slate-500" title={s.endsAt}>
                ends {formatAgo(s.endsAt, now)} · by {s.createdBy}: {s.reason}
              </span>
              {can(me.data?.role, "silence") ? (
                <Button size="sm" variant="ghost" onClick={() => expire.mutate(s.id)} disabled={expire.isPending}>
                  Expire now
                </Button>
              ) : null}
            </li>
          ))}
        </ul>
      )}
    </Panel>
  );
}
