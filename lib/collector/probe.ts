import "server-only";
import type { Pool } from "pg";
import { z } from "zod";
import { toDbError } from "@/lib/db/errors";
import { one } from "@/lib/db/query";
import { capabilitiesFrom, server } from "@/lib/metrics/definitions/server";
import { runMetric } from "@/lib/metrics/run";
import type { MetricResult } from "@/lib/metrics/types";
import type { Capabilities } from "./types";

// The connectivity check: the `server` metric, which also refreshes the capability map.
// The server version is read first on every probe because the SQL depends on it and the target
// may have been upgraded while it was down.

const versionRow = z.object({ v: z.number().int() });

export interface ProbeOutcome {
  result: MetricResult;
  caps: Capabilities | null;
}

export async function probe(pool: Pool, targetId: string, now: () => Date): Promise<ProbeOutcome> {
  const ts = now();
  const started = performance.now();
  let versionNum: number;
  try {
    versionNum = (await one(pool, versionRow, "/* pgpulse */ SELECT current_setting('server_version_num')::int AS v", [], "server version")).v;
  } catch (e) {
    const err = toDbError(e);
    return {
      result: { status: "error", metric: "server", targetId, ts, durationMs: performance.now() - started, error: err.message, code: err.code },
      caps: null,
    };
  }
  // Only the version matters for picking the SQL; `server` has no other requirement.
  const bootstrap: Capabilities = {
    serverVersionNum: versionNum,
    serverVersion: String(versionNum),
    database: "",
    user: "",
    isSuperuser: false,
    role: "primary",
    systemIdentifier: null,
    extensions: {},
    roles: [],
    objects: {},
    settings: {},
    checkedAt: ts,
  };
  const result = await runMetric(pool, server, bootstrap, targetId, () => ts);
  if (result.status !== "ok") return { result, caps: null };
  try {
    return { result, caps: capabilitiesFrom(result.rows, ts) };
  } catch (e) {
    const message = e instanceof Error ? e.message : String(e);
    return { result: { status: "error", metric: "server", targetId, ts, durationMs: result.durationMs, error: message }, caps: null };
  }
}
