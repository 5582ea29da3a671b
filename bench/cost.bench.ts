import "server-only";
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import pg from "pg";
import { loadSqlParser } from "@/lib/analysis/sql-text";
import { createCollector } from "@/lib/collector/collector";
import { catalogTasks } from "@/lib/collector/definition-tasks";
import { thresholdsSchema } from "@/lib/config/schema";
import { runSetup } from "@/lib/setup/run-setup";
import { findPostgresBin, freePort, startDebianCluster, type DebianCluster } from "./lib/debian-postgres";
import { EXPORTER_INSTALL_HINT, exporterAvailable, startExporter } from "./lib/exporter";
import { buildFixture, type FixtureInfo } from "./lib/fixture";
import { ownerOf, recordStatementOwners, withOwner } from "./lib/statement-owners";

// What pgpulse costs the database it watches, beside postgres_exporter's default collectors,
// in the same window on the same database, each as its own role: a packaged PostgreSQL (JIT
// available, as on most servers), a database of N tables (one partitioned parent with 4
// partitions per 100), pgpulse's collector in this process at its default cadences and
// postgres_exporter scraped every 15 s. The server's own accounting decides: pg_stat_statements
// exec + plan time of top-level statements, per role, over the window.
// A window that is a multiple of the longest cadence (10 min) counts every task at its true
// rate: the collector starts with the window and runs on exact intervals (no jitter).
// Run: npm run bench:cost [-- --tables 2000,10000 --minutes 10 --warmup-s 30 --out DIR]

const { values: args } = parseArgs({
  options: {
    tables: { type: "string", default: "2000,10000" },
    minutes: { type: "string", default: "10" },
    "warmup-s": { type: "string", default: "30" },
    out: { type: "string", default: path.join(import.meta.dirname, "results") },
  },
});
const SIZES = args.tables.split(",").map(Number).filter((n) => n >= 100);
const WINDOW_MS = Number(args.minutes) * 60_000;
// Both monitors start, then the window opens: their first runs on fresh connections (caches
// cold, every relation opened for the first time) are start-up, not the steady cost. A window
// opened 30 s in still holds every cadence's runs once per interval: runs fall on exact
// multiples of their interval from the start.
const WARMUP_MS = Number(args["warmup-s"]) * 1000;
const SCRAPE_MS = 15_000;
const PGPULSE_ROLE = "pgpulse_monitor";
const EXPORTER_ROLE = "postgres_exporter";

interface Cost {
  calls: number;
  execMs: number;
  planMs: number;
}

interface Entry extends Cost {
  key: string;
  role: string;
  query: string;
}

const STATEMENTS_SQL = `
SELECT r.rolname AS role, s.queryid::text || '/' || r.rolname AS key, s.query,
       s.calls::float8 AS calls, s.total_exec_time::float8 AS "execMs", s.total_plan_time::float8 AS "planMs"
FROM pg_stat_statements s JOIN pg_roles r ON r.oid = s.userid
WHERE s.toplevel AND s.dbid = (SELECT oid FROM pg_database WHERE datname = $1) AND r.rolname = ANY($2)`;

async function readStatements(admin: pg.Client, database: string): Promise<Map<string, Entry>> {
  const { rows } = await admin.query<Entry>(STATEMENTS_SQL, [database, [PGPULSE_ROLE, EXPORTER_ROLE]]);
  return new Map(rows.map((r) => [r.key, r]));
}

function perMinute(c: Cost, minutes: number) {
  const dbMs = c.execMs + c.planMs;
  return { callsPerMin: c.calls / minutes, dbMsPerMin: dbMs / minutes, execMsPerMin: c.execMs / minutes, planMsPerMin: c.planMs / minutes };
}

interface SizeResult {
  tables: number;
  fixture: FixtureInfo;
  windowMinutes: number;
  exporter: { version: string; scrapes: number; failedScrapes: number; callsPerMin: number; dbMsPerMin: number; top: Array<{ query: string; dbMsPerMin: number; callsPerMin: number }> };
  pgpulse: { callsPerMin: number; dbMsPerMin: number; tasks: Array<{ task: string; callsPerMin: number; dbMsPerMin: number; execMsPerMin: number; planMsPerMin: number }> };
  ratio: number | null;
  collectorErrors: Record<string, number>;
}

async function measureSize(cluster: DebianCluster, tables: number): Promise<SizeResult> {
  const database = `cost_${tables}`;
  console.log(`building ${tables} tables …`);
  const fixture = await buildFixture((db) => cluster.url(db), database, tables);
  const setup = await runSetup({ url: cluster.url(database), monitorRole: { name: PGPULSE_ROLE, password: "bench-only" } });
  const failed = setup.actions.filter((a) => a.status === "failed");
  if (failed.length) throw new Error(`setup failed: ${JSON.stringify(failed)}`);

  const admin = new pg.Client({ connectionString: cluster.url("postgres") });
  await admin.connect();
  const errors: Record<string, number> = {};
  try {
    // The exporter as its own role with the privileges its documentation asks for.
    await admin.query(`DO $$ BEGIN
      IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '${EXPORTER_ROLE}') THEN CREATE ROLE ${EXPORTER_ROLE} LOGIN; END IF;
    END $$`);
    await admin.query(`GRANT pg_monitor TO ${EXPORTER_ROLE}`);
    // Let the build's autovacuum and statistics settle before the window opens.
    await new Promise((r) => setTimeout(r, 5_000));

    const exporter = await startExporter(`${cluster.url(database, EXPORTER_ROLE)}?sslmode=disable`, await freePort(), SCRAPE_MS);
    const collector = createCollector({
      target: { id: "bench", name: "bench", url: cluster.url(database, PGPULSE_ROLE) },
      thresholds: thresholdsSchema.parse({}),
      sinks: [{
        accept: (r) => {
          if (r.status === "error") errors[r.metric] = (errors[r.metric] ?? 0) + 1;
        },
      }],
      tasks: catalogTasks().map(withOwner),
      // Exact cadences: a window that is a multiple of every interval then holds the true rate.
      random: () => 0.5,
    });
    collector.start();
    await new Promise((r) => setTimeout(r, WARMUP_MS));
    const before = await readStatements(admin, database);
    const started = Date.now();
    const progress = setInterval(() => console.log(`  ${tables} tables: ${Math.round((Date.now() - started) / 1000)} s of ${WINDOW_MS / 1000} s`), 60_000);
    await new Promise((r) => setTimeout(r, WINDOW_MS));
    clearInterval(progress);
    await collector.stop();
    await exporter.stop();
    const minutes = (Date.now() - started) / 60_000;
    const after = await readStatements(admin, database);

    const delta: Entry[] = [];
    for (const [key, a] of after) {
      const b = before.get(key);
      const d = { ...a, calls: a.calls - (b?.calls ?? 0), execMs: a.execMs - (b?.execMs ?? 0), planMs: a.planMs - (b?.planMs ?? 0) };
      if (d.calls > 0) delta.push(d);
    }
    const sum = (xs: Entry[]): Cost => xs.reduce((c, x) => ({ calls: c.calls + x.calls, execMs: c.execMs + x.execMs, planMs: c.planMs + x.planMs }), { calls: 0, execMs: 0, planMs: 0 });
    const ours = delta.filter((d) => d.role === PGPULSE_ROLE);
    const theirs = delta.filter((d) => d.role === EXPORTER_ROLE);
    const byTask = new Map<string, Entry[]>();
    for (const d of ours) byTask.set(ownerOf(d.query), [...(byTask.get(ownerOf(d.query)) ?? []), d]);
    const tasks = [...byTask].map(([task, xs]) => ({ task, ...perMinute(sum(xs), minutes) })).sort((a, b) => b.dbMsPerMin - a.dbMsPerMin);
    const p = perMinute(sum(ours), minutes);
    const e = perMinute(sum(theirs), minutes);
    const top = theirs
      .map((x) => ({ query: x.query.replace(/\s+/g, " ").slice(0, 80), ...perMinute(x, minutes) }))
      .sort((a, b) => b.dbMsPerMin - a.dbMsPerMin)
      .slice(0, 3)
      .map(({ query, dbMsPerMin, callsPerMin }) => ({ query, dbMsPerMin, callsPerMin }));
    return {
      tables,
      fixture,
      windowMinutes: minutes,
      exporter: { version: exporter.version, scrapes: exporter.scrapes, failedScrapes: exporter.failedScrapes, callsPerMin: e.callsPerMin, dbMsPerMin: e.dbMsPerMin, top },
      pgpulse: { callsPerMin: p.callsPerMin, dbMsPerMin: p.dbMsPerMin, tasks },
      ratio: e.dbMsPerMin > 0 ? p.dbMsPerMin / e.dbMsPerMin : null,
      collectorErrors: errors,
    };
  } finally {
    // Only one database at a time: the exporter sizes every database on each scrape.
    await admin.query(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`).catch(() => {});
    await admin.end();
  }
}

const n0 = (x: number) => x.toFixed(0);

function markdown(date: string, pg: string, results: SizeResult[]): string {
  const lines = [
    `Command: \`npm run bench:cost -- --tables ${results.map((r) => r.tables).join(",")} --minutes ${args.minutes}\` (${date}; ${pg}).`,
    "",
    "| tables | pgpulse calls/min | pgpulse DB ms/min | exporter calls/min | exporter DB ms/min | ratio |",
    "|---:|---:|---:|---:|---:|---:|",
    ...results.map((r) => `| ${r.tables.toLocaleString("en")} | ${n0(r.pgpulse.callsPerMin)} | ${n0(r.pgpulse.dbMsPerMin)} | ${n0(r.exporter.callsPerMin)} | ${n0(r.exporter.dbMsPerMin)} | ${r.ratio === null ? "–" : r.ratio.toFixed(2) + "×"} |`),
    "",
    "Per pgpulse task (DB ms/min = exec + plan of its top-level statements; calls/min):",
    "",
    `| task | ${results.map((r) => `${r.tables.toLocaleString("en")} tables`).join(" | ")} |`,
    `|---|${results.map(() => "---:").join("|")}|`,
  ];
  const tasks = [...new Set(results.flatMap((r) => r.pgpulse.tasks.map((t) => t.task)))];
  for (const task of tasks) {
    const cells = results.map((r) => {
      const t = r.pgpulse.tasks.find((x) => x.task === task);
      return t ? `${t.dbMsPerMin.toFixed(1)} ms · ${t.callsPerMin.toFixed(1)}` : "–";
    });
    lines.push(`| ${task} | ${cells.join(" | ")} |`);
  }
  return lines.join("\n");
}

async function main() {
  if (!exporterAvailable()) {
    console.error(EXPORTER_INSTALL_HINT);
    process.exit(2);
  }
  const binDir = findPostgresBin();
  if (!binDir) {
    console.error("No packaged PostgreSQL found (/usr/lib/postgresql/<major>/bin). On Debian: sudo apt-get install -y postgresql-15 (or set PGPULSE_BENCH_PG_BIN).");
    process.exit(2);
  }
  await loadSqlParser();
  recordStatementOwners();
  const root = await mkdtemp(path.join(os.tmpdir(), "pgpulse-bench-cost-"));
  console.log(`starting PostgreSQL from ${binDir} …`);
  const cluster = await startDebianCluster(root, binDir, {
    shared_preload_libraries: "pg_stat_statements",
    "pg_stat_statements.track_planning": "on",
    "pg_stat_statements.max": "10000",
    // Only speeds up building the fixtures; both monitors only read.
    fsync: "off",
  });
  try {
    const admin = new pg.Client({ connectionString: cluster.url("postgres") });
    await admin.connect();
    // The measuring session reads the view from the maintenance database.
    await admin.query("CREATE EXTENSION IF NOT EXISTS pg_stat_statements");
    const info = (await admin.query<{ v: string; jit: boolean; jit_on: string }>(
      "SELECT current_setting('server_version') AS v, pg_jit_available() AS jit, current_setting('jit') AS jit_on")).rows[0];
    await admin.end();
    if (!info.jit) console.warn("warning: this PostgreSQL has no JIT provider (install its -jit / llvm package); the figures will not show JIT's cost");
    const pgInfo = `PostgreSQL ${info.v}, jit = ${info.jit_on}, JIT ${info.jit ? "available" : "not available"}`;
    console.log(pgInfo);
    const results: SizeResult[] = [];
    const date = new Date().toISOString().slice(0, 10);
    const cpus = os.cpus();
    await mkdir(args.out, { recursive: true });
    const file = path.join(args.out, `cost-${date}.json`);
    for (const tables of SIZES) {
      results.push(await measureSize(cluster, tables));
      // Written after each size: a long run interrupted keeps what it measured.
      const report = {
        date,
        command: `npm run bench:cost -- --tables ${SIZES.join(",")} --minutes ${args.minutes}`,
        machine: { cpu: `${cpus.length} × ${cpus[0]?.model.trim() ?? "unknown"}`, memory: `${(os.totalmem() / 1024 ** 3).toFixed(0)} GiB`, load: os.loadavg().map((x) => x.toFixed(1)).join(" "), node: process.version },
        postgres: pgInfo,
        scrapeIntervalMs: SCRAPE_MS,
        warmupMs: WARMUP_MS,
        results,
      };
      await writeFile(file, JSON.stringify(report, null, 2) + "\n");
      console.log(markdown(date, pgInfo, results));
    }
    for (const r of results) {
      console.log(`${r.tables} tables: exporter scrapes ${r.exporter.scrapes} (${r.exporter.failedScrapes} failed); its top statements: ${r.exporter.top.map((t) => `${t.dbMsPerMin.toFixed(0)} ms/min ${t.query}`).join(" | ")}`);
      if (Object.keys(r.collectorErrors).length) console.log(`  pgpulse errors: ${JSON.stringify(r.collectorErrors)}`);
    }
    console.log(`\nwritten: ${file}`);
  } finally {
    await cluster.stop().catch((e) => console.error(`stopping the cluster: ${String(e)}`));
    await rm(root, { recursive: true, force: true });
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
