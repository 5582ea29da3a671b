"use client";

import { useMutation } from "@tanstack/react-query";
import { useState } from "react";
import { Button } from "@/components/ui/button";
import { Card, CardHeader } from "@/components/ui/card";
import { cx } from "@/components/ui/cx";
import { TONE_NOTE, TONE_TEXT } from "@/components/ui/palette";
import { TextInput } from "@/components/ui/select";
import type { explainResponseSchema, ExplainRequest } from "@/lib/api/explain";
import { parsePlan } from "@/lib/analysis/explain-plan";
import { fetchJson } from "@/lib/api/fetch-json";
import { can } from "@/lib/auth/actions";
import { PlanTree } from "./plan-tree";
import { useMe } from "./queries";
import { explainUrl } from "@/lib/api/urls";
import { placeholderCount } from "@/lib/analysis/placeholders";

// EXPLAIN on demand. The server decides everything that matters (role, single SELECT parsed
// with libpg-query, read-only transaction, timeout, rate limit, audit); this form only asks.

export function PanelExplain({ targetId, fingerprint, normalized }: { targetId: string; fingerprint: string; normalized: string | null }) {
  const me = useMe();
  const role = me.data?.role;
  const [analyze, setAnalyze] = useState(false);
  const n = normalized ? placeholderCount(normalized) : 0;
  const [params, setParams] = useState<string[]>([]);
  const m = useMutation({
    mutationFn: async (body: ExplainRequest) => {
      const res = await fetchJson<typeof explainResponseSchema>(explainUrl(targetId), {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify(body),
      });
      return { res, parsed: parsePlan(res.plan) };
    },
  });
  const run = () => {
    const filled = params.slice(0, n);
    m.mutate({ fingerprint, analyze, params: filled.length === n && n > 0 && filled.every((p) => p !== "") ? filled : undefined });
  };
  const state = m.isPending ? "loading" : m.isError ? "error" : m.data ? "ready" : "empty";
  return (
    <Card data-testid="panel-explain" data-state={state}>
      <CardHeader title="EXPLAIN" subtitle="Runs on the target in a read-only transaction with a statement timeout; only a single SELECT can be explained." />
      {!can(role, "explain") ? (
        <p className={cx("text-sm", TONE_TEXT.secondary)}>EXPLAIN needs the responder role{me.data ? ` (you are ${me.data.role})` : ""}.</p>
      ) : (
        <div className="space-y-2">
          {n > 0 ? (
            <fieldset className="text-sm">
              <legend className="mb-1 text-xs text-slate-500 dark:text-slate-400">
                Values for the placeholders (optional: left empty, the server plans generically on PostgreSQL 16+, or asks for them)
              </legend>
              <div className="flex flex-wrap gap-2">
                {Array.from({ length: Math.min(n, 20) }, (_, i) => (
                  <label key={i} className="flex items-center gap-1 text-xs">
                    ${i + 1}
                    <TextInput
                      aria-label={`Value for $${i + 1}`}
                      value={params[i] ?? ""}
                      onChange={(e) => setParams((p) => Object.assign([...p], { [i]: e.target.value }))}
                      className="w-32"
                    />
                  </label>
                ))}
              </div>
            </fieldset>
          ) : null}
          <div className="flex flex-wrap items-center gap-3">
            {can(role, "explain_analyze") ? (
              <label className="flex items-center gap-1 text-sm">
                <input type="checkbox" checked={analyze} onChange={(e) => setAnalyze(e.target.checked)} data-testid="explain-analyze" />
                ANALYZE, BUFFERS (executes the statement)
              </label>
            ) : (
              <span className="text-xs text-slate-500 dark:text-slate-400">Plan only; EXPLAIN ANALYZE needs the admin role.</span>
            )}
            <Button variant="primary" onClick={run} disabled={m.isPending} data-testid="explain-button">
              {m.isPending ? "Explaining…" : analyze ? "Explain analyze" : "Explain"}
            </Button>
          </div>
          {m.isError ? (
            <p role="alert" data-testid="explain-error" className={cx("rounded p-2 text-sm", TONE_NOTE.bad)}>
              {m.error.message}
            </p>
          ) : null}
          {m.data ? (
            <>
              {m.data.res.generic ? <p className="text-xs text-slate-500 dark:text-slate-400">Planned generically (GENERIC_PLAN): placeholders were not given values.</p> : null}
              <PlanTree plan={m.data.parsed} raw={m.data.res.plan} />
            </>
          ) : null}
        </div>
      )}
    </Card>
  );
}
