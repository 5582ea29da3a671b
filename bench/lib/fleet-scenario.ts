import { writeFile } from "node:fs/promises";
import path from "node:path";
import pg from "pg";
import type { EmbeddedServer } from "@/lib/embedded/postgres";
import { isAlive, startChildPgpulse, type ChildPgpulse } from "@/test/faults/support";
import { duplication, takeoverTimes, type Duplication, type Sample } from "./fleet-polling";
import { startCountingReceiver } from "./fleet-receiver";
import { balancedHolders, readEpisodes, readLeases, readOutbox, type EpisodeCounts, type OutboxRow } from "./fleet-store";
import { ALERT_TABLE_BYTES, resetHotTables, shiftHotTables } from "./fleet-targets";
import { watchUsage } from "./proc-usage";

// One run of the multi-instance scenario: `instances` pgpulse processes (bench/lib/fleet-child.ts)
// on one fresh store database, watching every database of the target server; once they have
// split the targets and the alerting ones' notifications are out, a steady window; then (with
// more than one instance) node-0 is SIGKILLed and, at that moment, every alerting database
// drops one hot table and fills another; the run waits until a survivor collects every orphan
// and every notification is delivered, measures a second window, and stops the survivors.

export interface FleetSetup {
  target: EmbeddedServer;
  store: EmbeddedServer;
  dbs: string[];
  alerting: string[];
  root: string;
  receiverPort: number;
}

export interface ScenarioOptions {
  /** Where to keep each instance's log (warnings and up); none when unset. */
  logDir?: string;
  instances: number;
  ttlMs: number;
  windowMs: number;
  intervals: Record<string, number>;
  /** The per-target metric whose runs per cadence show double polling. */
  countedMetric: { id: string; cadenceMs: number };
}

export interface InstanceFigures {
  name: string;
  held: number;
  killed: boolean;
  leaseChanges: LeaseChanges;
  steady: Usage;
  after: Usage | null;
}
/** Lease changes on the instance over the whole run, by kind (acquired, shed, fenced, taken, stopping). */
type LeaseChanges = Record<string, number>;

interface Usage {
  cpuPercent: number;
  rssMaxBytes: number;
  skipped: number;
}

export interface ScenarioResult {
  instances: number;
  balanceMs: number | null;
  takeover: { orphans: number; ms: number[]; missing: string[] } | null;
  steady: Duplication;
  after: Duplication;
  perInstance: InstanceFigures[];
  episodes: EpisodeCounts;
  outbox: OutboxRow[];
  accepted: Map<string, number>;
  attempts: Map<string, number>;
  notes: string[];
}

const targetId = (db: string) => db.replace("fleet_", "f");
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Polls fn until truthy; on timeout notes what was awaited and returns null (the run goes on and says so). */
async function waitFor<T>(notes: string[], what: string, fn: () => Promise<T | null | false>, timeoutMs: number): Promise<T | null> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn().catch(() => null);
    if (v) return v;
    if (Date.now() > deadline) {
      notes.push(`timed out after ${timeoutMs / 1_000} s waiting for ${what}`);
      return null;
    }
    await sleep(500);
  }
}

function samplesOf(children: ChildPgpulse[]): Sample[] {
  return children.flatMap((c, i) =>
    c.lines.flatMap((l) => (l.accepted ? [{ ...(l.accepted as Omit<Sample, "instance">), instance: `node-${i}` }] : [])),
  );
}

interface Stats {
  at: number;
  skipped: number;
  leases: LeaseChanges;
}

/** The instance's last stats line before `at`. */
function statsAt(child: ChildPgpulse, at = Infinity): Stats | undefined {
  return child.lines.map((l) => l.stats as Stats | undefined).filter((s) => s && s.at <= at).at(-1);
}
const skippedAt = (child: ChildPgpulse, at: number) => statsAt(child, at)?.skipped ?? 0;

async function measure(children: ChildPgpulse[], ms: number): Promise<{ from: number; to: number; usage: Usage[] }> {
  const from = Date.now();
  const watchers = children.map((c) => watchUsage(c.pid));
  await sleep(ms);
  const to = Date.now();
  const usage = await Promise.all(watchers.map((w) => w.stop()));
  return { from, to, usage: usage.map((u, i) => ({ ...u, skipped: skippedAt(children[i], to) - skippedAt(children[i], from) })) };
}

export async function runScenario(setup: FleetSetup, opts: ScenarioOptions): Promise<ScenarioResult> {
  const { instances: k } = opts;
  const notes: string[] = [];
  const ids = setup.dbs.map(targetId);
  await resetHotTables(setup.target, setup.alerting);
  const storeDb = `store_k${k}`;
  const admin = new pg.Client({ connectionString: setup.store.url() });
  await admin.connect();
  await admin.query(`DROP DATABASE IF EXISTS ${storeDb}`).then(() => admin.query(`CREATE DATABASE ${storeDb}`));
  await admin.end();
  const storeUrl = setup.store.url(storeDb);
  const read = new pg.Pool({ connectionString: storeUrl, max: 2 });
  read.on("error", () => {});
  const receiver = await startCountingReceiver(setup.receiverPort);
  const children: ChildPgpulse[] = [];
  try {
    const configPath = path.join(setup.root, `fleet-k${k}.config.json`);
    const alerting = new Set(setup.alerting);
    await writeFile(configPath, JSON.stringify({
      targets: setup.dbs.map((db) => ({
        id: targetId(db), name: db, url: setup.target.url(db),
        ...(alerting.has(db) ? { thresholds: { tableSizeBytes: ALERT_TABLE_BYTES } } : {}),
      })),
      channels: [{ id: "hook", type: "webhook", url: receiver.url }],
    }));
    const startedAt = Date.now();
    for (let i = 0; i < k; i++) {
      children.push(startChildPgpulse({
        PGPULSE_CONFIG: configPath,
        PGPULSE_STORE_URL: storeUrl,
        PGPULSE_DATA_DIR: path.join(setup.root, `data-k${k}-${i}`),
        PGPULSE_INSTANCE_NAME: `node-${i}`,
        PGPULSE_LEASE_TTL_MS: String(opts.ttlMs),
        PGPULSE_INTERVALS: JSON.stringify(opts.intervals),
      }, "bench/lib/fleet-child.ts"));
    }
    await Promise.all(children.map((c) => c.ready));
    const held = await waitFor(notes, "an even split of the targets", () => balancedHolders(read, ids.length, k), 300_000);
    const balanceMs = held ? Date.now() - startedAt : null;
    const firing = setup.alerting.length * 2;
    const outboxDone = (n: number) => async () => {
      const rows = await readOutbox(read);
      return rows.length >= n && rows.every((r) => r.status === "delivered");
    };
    await waitFor(notes, `${firing} firing notifications delivered`, outboxDone(firing), 180_000);

    const steady = await measure(children, opts.windowMs);
    const leases = await readLeases(read);
    const heldBy = (name: string) => leases.filter((l) => l.live && l.holder_name === name).map((l) => l.target_id);
    const killedAt = Date.now();
    let takeover: ScenarioResult["takeover"] = null;
    let survivors = children;
    if (k > 1) {
      process.kill(children[0].pid, "SIGKILL");
      survivors = children.slice(1);
    }
    await shiftHotTables(setup.target, setup.alerting);
    if (k > 1) {
      const orphans = heldBy("node-0");
      const done = () => Promise.resolve(takeoverTimes(samplesOf(children), "node-0", orphans, killedAt).missing.length === 0);
      await waitFor(notes, "every orphaned target collected by a survivor", done, 10 * opts.ttlMs + 120_000);
      takeover = { orphans: orphans.length, ...takeoverTimes(samplesOf(children), "node-0", orphans, killedAt) };
    }
    await waitFor(notes, `${setup.alerting.length * 4} notifications delivered`, outboxDone(setup.alerting.length * 4), 180_000);
    const after = await measure(survivors, opts.windowMs);

    for (const c of survivors) process.kill(c.pid, "SIGTERM");
    // A stop that hangs is noted, and the finally below kills it.
    const stopped = await Promise.race([Promise.all(survivors.map((c) => c.exited)).then(() => true), sleep(30_000).then(() => false)]);
    if (!stopped) notes.push("a survivor did not stop within 30 s of SIGTERM");
    const samples = samplesOf(children);
    const metric = opts.countedMetric;
    return {
      instances: k,
      balanceMs,
      takeover,
      steady: duplication(samples, ids, steady.from, steady.to, metric.id, metric.cadenceMs),
      after: duplication(samples, ids, after.from, after.to, metric.id, metric.cadenceMs),
      perInstance: children.map((_, i) => ({
        name: `node-${i}`,
        held: heldBy(`node-${i}`).length,
        killed: k > 1 && i === 0,
        leaseChanges: statsAt(children[i])?.leases ?? {},
        steady: steady.usage[i],
        after: k > 1 ? (i === 0 ? null : after.usage[i - 1]) : after.usage[0],
      })),
      episodes: await readEpisodes(read),
      outbox: await readOutbox(read),
      accepted: receiver.accepted,
      attempts: receiver.attempts,
      notes,
    };
  } finally {
    for (const c of children) if (isAlive(c.pid)) process.kill(c.pid, "SIGKILL");
    await Promise.all(children.map((c) => c.exited));
    const logDir = opts.logDir;
    if (logDir) await Promise.all(children.map((c, i) => writeFile(path.join(logDir, `k${k}-node-${i}.log`), c.output())));
    await read.end();
    await receiver.close();
  }
}
