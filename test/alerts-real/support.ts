import pg from "pg";
import pino from "pino";
import { listAlerts, type Alert } from "@/lib/alerts/read";
import { startReceiver, type Receiver } from "@/test/support/alerts";
import { RULE_IDS, type AlertState, type RuleId } from "@/lib/alerts/types";
import { configSchema, type PgpulseConfig } from "@/lib/config/schema";
import { startPgpulse, type Pgpulse } from "@/lib/server/wiring/compose";
import { until } from "@/test/faults/support";

export { removeRoot, startFaultServer, tempRoot, until, type FaultServer } from "@/test/faults/support";

// Shared by the real-condition alert tests: pgpulse's whole loop (startPgpulse) against a real
// target with short cadences, one rule enabled with test-sized overrides, a webhook receiver on
// 127.0.0.1, and reads of what the store and the receiver saw.

/** Short cadences: each condition is seen within a second or three. */
export const REAL_INTERVALS: Record<string, number> = {
  server: 1_000,
  stat_activity: 1_000,
  slow_queries: 1_000,
  table_stats: 2_000,
  index_bloat: 3_000,
  db_stats: 1_000,
};

export const TARGET_ID = "app";
export const CHANNEL_ID = "hook";

type RuleOverride = NonNullable<PgpulseConfig["rules"][string]>;

/**
 * The rule under test with its overrides, every other rule disabled: targets on the shared test
 * server see other files' databases (db_stats, stat_activity are cluster-wide), whose alerts
 * would only be noise here.
 */
export function onlyRule(rule: RuleId, override: RuleOverride = {}): Record<string, RuleOverride> {
  return Object.fromEntries(RULE_IDS.map((id) => [id, id === rule ? { ...override, enabled: true } : { enabled: false }]));
}

export interface WatchOptions {
  targetUrl: string;
  storeUrl: string;
  rule: RuleId;
  override?: RuleOverride;
  thresholds?: Record<string, number>;
  intervals?: Record<string, number>;
  receiver: Receiver;
}

export function watchConfig(o: Omit<WatchOptions, "storeUrl" | "intervals">): PgpulseConfig {
  return configSchema.parse({
    targets: [{ id: TARGET_ID, name: "App database", url: o.targetUrl, ...(o.thresholds ? { thresholds: o.thresholds } : {}) }],
    rules: onlyRule(o.rule, o.override),
    channels: [{ id: CHANNEL_ID, type: "webhook", url: o.receiver.url }],
  });
}

export function startWatching(o: WatchOptions): Promise<Pgpulse> {
  return startPgpulse({
    config: watchConfig(o),
    storeUrl: o.storeUrl,
    version: "alerts-real-test",
    log: pino({ level: "silent" }),
    intervals: { ...REAL_INTERVALS, ...o.intervals },
  });
}

export { startReceiver, type Receiver };

const ALL_STATES: AlertState[] = ["pending", "firing", "resolved", "inactive"];

/** Every episode of a rule (all states, inactive ones included), optionally for one object. */
export async function episodes(pool: pg.Pool, rule: RuleId, objectKey?: string): Promise<Alert[]> {
  const all = await listAlerts(pool, { rule, target: TARGET_ID, state: ALL_STATES });
  return objectKey === undefined ? all : all.filter((a) => a.objectKey === objectKey);
}

/** Waits for an episode of (rule, object) in the given state and returns it. */
export function waitForAlert(pool: pg.Pool, rule: RuleId, objectKey: string, state: AlertState, timeoutMs = 20_000): Promise<Alert> {
  return until(`${rule} ${objectKey} ${state}`, async () => (await episodes(pool, rule, objectKey)).find((a) => a.state === state), timeoutMs);
}

export interface Message {
  key: string;
  state: string;
  rule: string;
  object: string;
  at: number;
}

/** What the receiver got, decoded: idempotency key, state, rule and object of each request. */
export function messages(r: Receiver, rule?: string, object?: string): Message[] {
  return r.requests
    .map((q) => ({
      key: String(q.headers["idempotency-key"]),
      state: String(q.body.state),
      rule: String(q.body.rule),
      object: String(q.body.object),
      at: q.at,
    }))
    .filter((m) => (rule === undefined || m.rule === rule) && (object === undefined || m.object === object));
}

/** Requests per (idempotency key, state): a receiver that drops duplicates would see one each. */
export function countByKeyAndState(list: Message[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const m of list) out[`${m.key}|${m.state}`] = (out[`${m.key}|${m.state}`] ?? 0) + 1;
  return out;
}

/** Waits for the number of successful runs of a collector task to reach `n` (counted from now). */
export async function waitForRuns(rt: Pgpulse, task: string, n: number, timeoutMs = 20_000): Promise<void> {
  const runsOk = () => {
    const stats = rt.collectors.get(TARGET_ID)?.snapshot().tasks?.[task];
    return stats?.lastStatus === "ok" ? stats.runs : 0;
  };
  const from = runsOk();
  await until(`${n} ok runs of ${task}`, () => runsOk() >= from + n, timeoutMs);
  await rt.alerts.idle();
}

/** A client on the target, with 'error' swallowed (a terminated backend must not end the run). */
export async function client(url: string, applicationName = "alerts-real-app"): Promise<pg.Client> {
  const c = new pg.Client({ connectionString: url, application_name: applicationName });
  c.on("error", () => {});
  await c.connect();
  return c;
}
