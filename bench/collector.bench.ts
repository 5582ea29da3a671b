import "server-only";
import { randomBytes } from "node:crypto";
import { chmod, mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import pg from "pg";
import type { CollectorTask } from "@/lib/collector/types";
import { startEmbeddedPostgres, type EmbeddedServer } from "@/lib/embedded/postgres";
import { runSetup } from "@/lib/setup/run-setup";
import { DEFAULT_RETENTION } from "@/lib/store";
import { buildFixture, type FixtureInfo } from "./lib/fixture";
import { metricsTable, mib, storeTable, summarize, type MetricFigures, type RunSample } from "./lib/report";
import { readStatements, statementDelta } from "./lib/statements";
import { measureStoreBytes, type StoreBytesResult } from "./lib/store-bytes";
import { collectorTasks, openTarget, type BenchTarget } from "./lib/tasks";

// What one collector costs a monitored database: every collector task run against targets of
// 1,000 and 10,000 tables (2 btree indexes each) on one embedded PostgreSQL 17, several warm
// rounds, database time from pg_stat_statements (exec + plan of the monitoring role's
// statements) beside client wall time; then store bytes per day for the 1,000-table target.
// Both targets are measured in the same rounds, interleaved, so their ratio is taken under the
// same machine load. Run: npm run bench:collector [-- --reps 3 --tables 1000,10000 --period-min 10]

const { values: args } = parseArgs({
  options: {
    reps: { type: "string", default: "3" },
    tables: { type: "string", default: "1000,10000" },
    "period-min": { type: "string", default: "10" },
    out: { type: "string", default: path.join(import.meta.dirname, "results") },
  },
});
const REPS = Math.max(1, Number(args.reps));
const SIZES = args.tables.split(",").map(Number).filter((n) => n >= 100);
const PERIOD_MS = Number(args["period-min"]) * 60_000;
const MONITOR_ROLE = "pgpulse_monitor";
const SLOW_MS = 1_000;

const name = (tables: number) => (tables % 1000 === 0 ? `${tables / 1000}k` : String(tables));

function monitorUrl(server: EmbeddedServer, database: string, password: string): string {
  const u = new URL(server.url(database));
  u.username = MONITOR_ROLE;
  u.password = password;
  return u.toString();
}

interface Target {
  name: string;
  fixture: FixtureInfo;
  bench: BenchTarget;
  tasks: Map<string, CollectorTask>;
}

async function measure(admin: pg.Pool, targets: Target[]): Promise<{ metrics: MetricFigures[]; unmarked: number }> {
  const ids = [...targets[0].tasks.keys()];
  const samples = new Map<string, RunSample[]>(targets.flatMap((t) => ids.map((id) => [`${t.name}/${id}`, []] as [string, RunSample[]])));
  // Round 0 warms caches (catalog, relcache, the SQL parser) and the stateful tasks' baselines.
  for (let round = 0; round <= REPS; round++) {
    for (const id of ids) {
      for (const t of targets) {
        const before = await readStatements(admin, t.fixture.database, MONITOR_ROLE);
        const started = performance.now();
        const result = await t.tasks.get(id)!.run(t.bench.ctx);
        const wallMs = performance.now() - started;
        const d = statementDelta(before, await readStatements(admin, t.fixture.database, MONITOR_ROLE));
        if (round === 0) continue;
        samples.get(`${t.name}/${id}`)!.push({
          wallMs, execMs: d.execMs, planMs: d.planMs, calls: d.calls, unmarkedCalls: d.unmarkedCalls,
          rows: result.status === "ok" ? result.rows.length : null,
          status: result.status === "error" ? `error: ${result.error}` : result.status,
        });
      }
    }
    process.stdout.write(round === 0 ? "  warm-up done\n" : `  round ${round}/${REPS} done\n`);
  }
  const unmarked = [...samples.values()].flat().reduce((n, s) => n + s.unmarkedCalls, 0);
  const metrics = ids.map((id) => {
    const task = targets[0].tasks.get(id)!;
    const figures = Object.fromEntries(targets.map((t) => [t.name, summarize(samples.get(`${t.name}/${id}`)!, task.intervalMs)]));
    const [small, large] = [figures[targets[0].name], figures[targets[targets.length - 1].name]];
    return {
      id,
      intervalMs: task.intervalMs,
      lane: task.lane ?? "bulk",
      targets: figures,
      dbRatio: small.dbMs.median > 0 ? large.dbMs.median / small.dbMs.median : null,
      wallRatio: small.wallMs.median > 0 ? large.wallMs.median / small.wallMs.median : null,
    };
  });
  return { metrics, unmarked };
}

function markdown(o: {
  date: string; machine: Record<string, string | number>; targets: Target[]; metrics: MetricFigures[]; store: StoreBytesResult | null;
  unmarked: number; totalMs: number;
}): string {
  const names = o.targets.map((t) => t.name);
  const perMinute = (t: string) => o.metrics.reduce((n, m) => n + m.targets[t].dbMsPerMinute, 0);
  const wallPerMinute = (t: string) => o.metrics.reduce((n, m) => n + m.targets[t].wallMsPerMinute, 0);
  const slow = o.metrics.flatMap((m) => names.filter((t) => m.targets[t].dbMs.median > SLOW_MS).map((t) => {
    const f = m.targets[t];
    return `${m.id} at ${t}: ${f.lowerBound ? "≥ " : ""}${(f.dbMs.median / 1000).toFixed(2)} s${f.failed ? ` (${f.failed} of ${f.runs} runs failed: ${f.status.find((x) => x !== "ok")})` : ""}`;
  }));
  const top = (t: string) => [...o.metrics].sort((a, b) => b.targets[t].dbMsPerMinute - a.targets[t].dbMsPerMinute).slice(0, 3)
    .map((m) => `${m.id} ${((100 * m.targets[t].dbMsPerMinute) / perMinute(t)).toFixed(0)} %`).join(", ");
  const s = o.store;
  return [
    `# Collector benchmark, ${o.date}`,
    "",
    "Command: `npm run bench:collector` (" + `${REPS} warm rounds after one warm-up round; total run ${(o.totalMs / 1000).toFixed(0)} s).`,
    "",
    `Machine: ${Object.entries(o.machine).map(([k, v]) => `${k} ${v}`).join(" · ")}.`,
    "",
    "Targets (one embedded server, one database each; plain tables + partitioned parents with 4 monthly partitions; 2 btree indexes per table; 5 rows per table; VACUUM ANALYZE'd; setup run):",
    "",
    ...o.targets.map((t) => `- ${t.name}: ${t.fixture.tables} tables (${t.fixture.plainTables} plain, ${t.fixture.partitionedParents} partitioned parents, ${t.fixture.partitions} partitions) + slow_query_log, ${t.fixture.indexes} indexes; built in ${(t.fixture.buildMs / 1000).toFixed(0)} s, VACUUM ANALYZE ${(t.fixture.analyzeMs / 1000).toFixed(0)} s.`),
    "",
    "## Database time per collection cycle",
    "",
    "DB ms = median over the rounds of Δ(total_exec_time + total_plan_time) in pg_stat_statements for the monitoring role's statements of one run (track_planning on). Wall ms = the task's run as the collector's client sees it (connection, round trips, row parsing). DB ms/min = DB ms × runs per minute at the default cadence.",
    "",
    metricsTable(o.metrics, names),
    "",
    `Per minute, client wall time: ${names.map((t) => `${t} ${wallPerMinute(t).toFixed(0)} ms`).join(", ")}. Largest shares of DB time per minute: ${names.map((t) => `${t}: ${top(t)}`).join("; ")}.`,
    "",
    slow.length ? `Over ${SLOW_MS / 1000} s per run: ${slow.join("; ")}.` : `No metric took over ${SLOW_MS / 1000} s of database time per run.`,
    o.unmarked ? `Statements without the /* pgpulse */ marker: ${o.unmarked} calls.` : "Every statement the monitoring role ran carried the /* pgpulse */ marker.",
    "",
    ...(s ? [
      `## Store bytes per day (${names[0]} target)`,
      "",
      `${s.periodMs / 60_000} simulated minutes (${s.simulatedFrom} → ${s.simulatedTo}) of the real tasks at their default cadences against the ${names[0]} target, every result through the real store (accept → flush → rollups), runs: ${Object.entries(s.runs).map(([k, v]) => `${k} ${v}`).join(", ")}. Sizes are pg_total_relation_size of the store's partitions before and after.`,
      "",
      storeTable(s),
      "",
      `Rollup overhead: minute + hour rollups = ${(100 * s.rollupOverhead).toFixed(0)} % of the raw samples' bytes per day. One-time: ${mib(s.oneTimeBytes)} (series and snapshot object keys). Steady state at the default retention (raw ${DEFAULT_RETENTION.rawDays} d, 1m ${DEFAULT_RETENTION.minuteDays} d, 1h ${DEFAULT_RETENTION.hourDays} d, snapshots ${DEFAULT_RETENTION.rowHistoryDays} d, events ${DEFAULT_RETENTION.eventDays} d): ${(s.steadyStateBytes / 1024 ** 3).toFixed(2)} GiB. Store write wall time: ${s.writeWallMs.toFixed(0)} ms for the period.`,
      "",
    ] : []),
  ].join("\n");
}

async function main() {
  const t0 = performance.now();
  const root = await mkdtemp(path.join(os.tmpdir(), "pgpulse-bench-collector-"));
  // The embedded server runs as its own OS user when we are root: it must reach the directory.
  await chmod(root, 0o755);
  console.log("starting PostgreSQL 17 …");
  const server = await startEmbeddedPostgres({
    dataDir: path.join(root, "pg"),
    persistent: false,
    settings: {
      shared_preload_libraries: "pg_stat_statements",
      "pg_stat_statements.track_planning": "on",
      // Only speeds up building the fixtures; the collector's statements are read-only.
      fsync: "off",
    },
  });
  const admin = new pg.Pool({ connectionString: server.url("postgres"), max: 2 });
  admin.on("error", () => {});
  const targets: Target[] = [];
  try {
    // The measuring session reads the view from the maintenance database.
    await admin.query("CREATE EXTENSION IF NOT EXISTS pg_stat_statements");
    const password = randomBytes(12).toString("hex");
    for (const tables of SIZES) {
      console.log(`building ${tables}-table target …`);
      const fixture = await buildFixture(server.url, `bench_${name(tables)}`, tables);
      const setup = await runSetup({ url: server.url(fixture.database), monitorRole: { name: MONITOR_ROLE, password } });
      const failed = setup.actions.filter((a) => a.status === "failed");
      if (failed.length) throw new Error(`setup failed: ${JSON.stringify(failed)}`);
      const bench = await openTarget(monitorUrl(server, fixture.database, password), name(tables));
      targets.push({ name: name(tables), fixture, bench, tasks: new Map(collectorTasks().map((t) => [t.id, t])) });
    }

    console.log(`measuring ${targets[0].tasks.size} tasks × ${targets.length} targets × ${REPS} rounds …`);
    const { metrics, unmarked } = await measure(admin, targets);

    console.log(`store bytes: ${PERIOD_MS / 60_000} simulated minutes on the ${targets[0].name} target …`);
    await admin.query("CREATE DATABASE pgpulse_store");
    const store = await measureStoreBytes({
      storeUrl: server.url("pgpulse_store"),
      target: targets[0].bench,
      tasks: collectorTasks(),
      periodMs: PERIOD_MS,
      retention: DEFAULT_RETENTION,
    });

    const version = (await admin.query<{ v: string }>("SELECT current_setting('server_version') AS v")).rows[0].v;
    const cpus = os.cpus();
    const machine = {
      cpu: `${cpus.length} × ${cpus[0]?.model.trim() ?? "unknown"}`,
      memory: `${(os.totalmem() / 1024 ** 3).toFixed(0)} GiB`,
      os: `${os.type()} ${os.release()}`,
      node: process.version,
      postgres: `${version} (embedded, default settings but fsync=off, pg_stat_statements.track_planning=on)`,
    };
    const date = new Date().toISOString().slice(0, 10);
    const totalMs = performance.now() - t0;
    const report = markdown({ date, machine, targets, metrics, store, unmarked, totalMs });
    const json = {
      date,
      command: "npm run bench:collector",
      options: { reps: REPS, tables: SIZES, periodMinutes: PERIOD_MS / 60_000 },
      machine,
      targets: targets.map((t) => ({ name: t.name, ...t.fixture })),
      metrics,
      perMinute: Object.fromEntries(targets.map((t) => [t.name, {
        dbMs: metrics.reduce((n, m) => n + m.targets[t.name].dbMsPerMinute, 0),
        wallMs: metrics.reduce((n, m) => n + m.targets[t.name].wallMsPerMinute, 0),
      }])),
      store,
      totalSeconds: Math.round(totalMs / 1000),
    };
    await mkdir(args.out, { recursive: true });
    const base = path.join(args.out, `collector-${date}`);
    await writeFile(`${base}.json`, JSON.stringify(json, null, 2) + "\n");
    await writeFile(`${base}.md`, report);
    console.log("\n" + report);
    console.log(`written: ${base}.json, ${base}.md`);
  } finally {
    for (const t of targets) await t.bench.end().catch(() => {});
    await admin.end().catch(() => {});
    await server.stop();
    await rm(root, { recursive: true, force: true });
  }
}

await main();
