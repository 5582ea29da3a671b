"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { Button } from "@/components/ui/button";
import { cx } from "@/components/ui/cx";
import { TONE_TEXT } from "@/components/ui/palette";
import type { silenceResponseSchema } from "@/lib/api/alerts";
import { fetchJson } from "@/lib/api/fetch-json";
import { can } from "@/lib/auth/actions";
import { formatAgo } from "@/lib/format/time";
import { Panel } from "./panel";
import { useMe, useSilences } from "./queries";
import { usePanelState } from "./use-panel-state";

/** Active silences (maintenance windows), with who set them, why, and until when. */
export function PanelSilences() {
  const q = useSilences();
  const me = useMe();
  const qc = useQueryClient();
  const { state, now } = usePanelState(q, { everyMs: 5000 });
  const expire = useMutation({
    mutationFn: (id: string) => fetchJson<typeof silenceResponseSchema>(`/api/silences/${encodeURIComponent(id)}`, { method: "DELETE" }),
    onSuccess: () => void qc.invalidateQueries({ queryKey: ["silences"] }),
  });
  const active = (q.data?.silences ?? []).filter((s) => s.active);
  return (
    <Panel testId="panel-silences" title="Active silences" state={state} error={q.error ?? expire.error}>
      {active.length === 0 ? (
        <p className={cx("text-sm", TONE_TEXT.secondary)}>No active silence: every alert notifies.</p>
      ) : (
        <ul className="space-y-1 text-sm">
          {active.map((s) => (
            <li key={s.id} data-testid={`silence-${s.id}`} className="flex min-w-0 flex-wrap items-center gap-2">
              {/* Matchers are long unbroken words (object~table:schema.name*): they break anywhere rather than widen a phone's page. */}
              <span className="min-w-0 break-all font-mono text-xs">
                {[s.matchers.rule && `rule=${s.matchers.rule}`, s.matchers.target && `target=${s.matchers.target}`, s.matchers.objectPattern && `object~${s.matchers.objectPattern}`].filter(Boolean).join(" ")}
              </span>
              <span className="min-w-0 break-words text-xs text-slate-500 dark:text-slate-400" title={s.endsAt}>
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
