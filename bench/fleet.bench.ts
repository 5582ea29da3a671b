import "server-only";
import { chmod, mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import pg from "pg";
import { startEmbeddedPostgres } from "@/lib/embedded/postgres";
import { fleetTable } from "./lib/fleet-report";
import { runScenario, type ScenarioResult } from "./lib/fleet-scenario";
import { runSingleSize } from "./lib/fleet-single";
import { ALERTING_EVERY, createFleetDatabases } from "./lib/fleet-targets";
import { loadAverage } from "./lib/proc-usage";

// A fleet of small databases on one server. Part 1: one pgpulse instance (in this process) at
// each size of --dbs, default cadences (bench/lib/fleet-single.ts). Part 2: 1, 2 and 3 pgpulse
// processes sharing one store and --targets databases, node-0 SIGKILLed mid-run
// (bench/lib/fleet-scenario.ts): takeover time, alert episodes and notifications against the
// single-instance run, polling duplication, CPU and RSS per instance.
// Run: npm run bench:fleet [-- --only single|fleet --dbs 50,200 --seconds 120 --warmup 30
//      --targets 200 --instances 1,2,3 --window 60 --ttl 10000 --pg-port 56310 --hook-port 3220 --logs DIR]
// --quick: a short run of both parts (50 databases, 40 targets, 20 s windows).

const { values: args } = parseArgs({
  options: {
    only: { type: "string" },
    quick: { type: "boolean", default: false },
    dbs: { type: "string" },
    seconds: { type: "string" },
    warmup: { type: "string" },
    targets: { type: "string" },
    instances: { type: "string", default: "1,2,3" },
    window: { type: "string" },
    ttl: { type: "string", default: "10000" },
    "pg-port": { type: "string", default: "56310" },
    "hook-port": { type: "string", default: "3220" },
    logs: { type: "string" },
  },
});
const quick = args.quick;
const num = (v: string | undefined, full: number, short: number) => Number(v ?? (quick ? short : full));
const SIZES = (args.dbs ?? (quick ? "50" : "50,200")).split(",").map(Number).filter((n) => n > 0);
const PG_PORT = Number(args["pg-port"]);
// table_stats feeds table_size; at its default 120 s the alerts after the kill would take minutes.
const SCENARIO_INTERVALS = { table_stats: 15_000 };
const COUNTED_METRIC = { id: "db_stats", cadenceMs: 15_000 };

async function fleetPart(root: string): Promise<void> {
  const n = num(args.targets, 200, 40);
  const target = await startEmbeddedPostgres({ dataDir: path.join(root, "fleet-target"), port: PG_PORT + 2, settings: { max_connections: 150 } });
  const store = await startEmbeddedPostgres({ dataDir: path.join(root, "fleet-store"), port: PG_PORT + 3 });
  const admin = new pg.Pool({ connectionString: target.url(), max: 2 });
  admin.on("error", () => {});
  try {
    const dbs = await createFleetDatabases(admin, target, n);
    const alerting = dbs.filter((_, i) => i % ALERTING_EVERY === 0);
    const results: ScenarioResult[] = [];
    for (const k of args.instances.split(",").map(Number).filter((x) => x > 0)) {
      const load0 = loadAverage();
      const t0 = Date.now();
      const r = await runScenario(
        { target, store, dbs, alerting, root, receiverPort: Number(args["hook-port"]) },
        { instances: k, ttlMs: Number(args.ttl), windowMs: num(args.window, 60, 20) * 1_000, intervals: SCENARIO_INTERVALS, logDir: args.logs, countedMetric: COUNTED_METRIC },
      );
      results.push(r);
      console.info(`fleet scenario, ${k} instance(s): ${((Date.now() - t0) / 1_000).toFixed(0)} s, load average ${load0} → ${loadAverage()}`);
    }
    console.info([
      `## ${n} targets on one server shared by several instances (${alerting.length} alerting, lease TTL ${Number(args.ttl) / 1_000} s, windows of ${num(args.window, 60, 20)} s)`,
      "",
      ...fleetTable(results),
    ].join("\n"));
  } finally {
    await admin.end().catch(() => {});
    await target.stop().catch(() => {});
    await store.stop().catch(() => {});
  }
}

async function main(): Promise<void> {
  const root = await mkdtemp(path.join(os.tmpdir(), "pgpulse-fleet-bench-"));
  await chmod(root, 0o755); // initdb runs as the unprivileged "postgres" user when we are root
  console.info(`bench:fleet on ${os.cpus().length} cores, load average ${loadAverage()}`);
  try {
    if (args.only !== "fleet") {
      for (const n of SIZES) await runSingleSize(n, root, [PG_PORT, PG_PORT + 1], num(args.seconds, 120, 30) * 1_000, num(args.warmup, 30, 10) * 1_000);
    }
    if (args.only !== "single") await fleetPart(root);
  } finally {
    await rm(root, { recursive: true, force: true });
  }
}

void main().then(
  () => process.exit(0),
  (e: unknown) => {
    console.error(e);
    process.exit(1);
  },
);
