import path from "node:path";
import pg from "pg";
import pino from "pino";
import { configSchema } from "@/lib/config/schema";
import { startEmbeddedPostgres } from "@/lib/embedded/postgres";
import { startPgpulse } from "@/lib/server/wiring/compose";
import { percentile } from "./fleet-polling";
import { createFleetDatabases } from "./fleet-targets";
import { loadAverage } from "./proc-usage";

// One pgpulse instance (in this process) watching n small databases on one embedded PostgreSQL
// 17, found by discovery as a fleet user would configure it, at the default cadences. Per
// metric, how late each run came against its cadence (p95 and max of gap − cadence, over every
// target), runs skipped because the previous one was still going, pgpulse's CPU and memory,
// store bytes per day, and the most monitoring connections open on the server.

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function storeBytes(url: string): Promise<number> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    const { rows } = await c.query<{ b: string }>(
      "SELECT coalesce(sum(pg_total_relation_size(c.oid)), 0)::text AS b FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = 'pgpulse' AND c.relkind IN ('r', 'm')",
    );
    return Number(rows[0].b);
  } finally {
    await c.end();
  }
}

export async function runSingleSize(n: number, root: string, ports: [number, number], windowMs: number, warmupMs: number): Promise<string[]> {
  const target = await startEmbeddedPostgres({ dataDir: path.join(root, `target-${n}`), port: ports[0], settings: { max_connections: 120 } });
  const storeSrv = await startEmbeddedPostgres({ dataDir: path.join(root, `store-${n}`), port: ports[1] });
  const admin = new pg.Pool({ connectionString: target.url(), max: 4 });
  admin.on("error", () => {}); // its idle client is terminated when the server stops
  try {
    const t0 = Date.now();
    await createFleetDatabases(admin, target, n);
    console.info(`fleet ${n}: databases created in ${Date.now() - t0} ms`);

    const config = configSchema.parse({ discovery: [{ id: "f", url: target.url("postgres"), include: ["fleet_*"], exclude: ["fleet_tpl"] }] });
    const rt = await startPgpulse({ config, storeUrl: storeSrv.url(), version: "bench", log: pino({ level: "silent" }) });
    const arrivals = new Map<string, number[]>(); // target|metric → arrival times
    const accept = rt.store.accept.bind(rt.store);
    rt.store.accept = (r) => {
      if (r.metric !== "up") {
        const k = `${r.targetId}|${r.metric}`;
        const list = arrivals.get(k) ?? [];
        list.push(Date.now());
        arrivals.set(k, list);
      }
      accept(r);
    };
    await sleep(warmupMs);
    await rt.store.flush();
    const bytes0 = await storeBytes(storeSrv.url());
    const cpu0 = process.cpuUsage();
    const load0 = loadAverage();
    const from = Date.now();
    let maxConns = 0;
    let maxRss = 0;
    while (Date.now() - from < windowMs) {
      const { rows } = await admin.query<{ n: number }>("SELECT count(*)::int AS n FROM pg_stat_activity WHERE application_name LIKE 'pgpulse%'");
      maxConns = Math.max(maxConns, rows[0].n);
      maxRss = Math.max(maxRss, process.memoryUsage().rss);
      await sleep(1_000);
    }
    const to = Date.now();
    const cpu = process.cpuUsage(cpu0);
    await rt.store.flush();
    const bytes1 = await storeBytes(storeSrv.url());
    const skipped = rt.targets.reduce((sum, t) => sum + Object.values(rt.snapshot(t.id)?.tasks ?? {}).reduce((s, x) => s + x.overruns, 0), 0);
    const held = rt.collectors.size;

    const cadenceOf = (metric: string): number | null => {
      try {
        return rt.cadenceMs(metric);
      } catch {
        return null; // a source status (e.g. "slow_queries.pg_stat_statements"), not a task
      }
    };
    const byMetric = new Map<string, number[]>();
    for (const [k, times] of arrivals) {
      const metric = k.split("|")[1];
      const cadence = cadenceOf(metric);
      if (cadence === null) continue;
      const inWindow = times.filter((t) => t >= from - cadence && t <= to);
      for (let i = 1; i < inWindow.length; i++) {
        const late = byMetric.get(metric) ?? [];
        late.push(inWindow[i] - inWindow[i - 1] - cadence);
        byMetric.set(metric, late);
      }
    }
    await rt.stop();

    const seconds = (to - from) / 1_000;
    const lines = [
      `### ${n} databases on one server (${held} targets held, ${seconds.toFixed(0)} s measured after ${warmupMs / 1_000} s; load average ${load0} → ${loadAverage()})`,
      "",
      `pgpulse CPU ${(((cpu.user + cpu.system) / 1_000 / (to - from)) * 100).toFixed(1)} % of one core · RSS max ${(maxRss / 2 ** 20).toFixed(0)} MiB · ` +
        `store ${((bytes1 - bytes0) * (86_400 / seconds) / 2 ** 20).toFixed(0)} MiB/day · monitoring connections on the server max ${maxConns} · skipped runs ${skipped}`,
      "",
      "| metric | cadence | gaps measured | p95 lateness | max lateness |",
      "|---|---:|---:|---:|---:|",
      ...[...byMetric].sort(([a], [b]) => a.localeCompare(b)).map(([m, late]) =>
        `| ${m} | ${rt.cadenceMs(m) / 1_000} s | ${late.length} | ${(percentile(late, 0.95) / 1_000).toFixed(2)} s | ${(Math.max(...late) / 1_000).toFixed(2)} s |`),
      "",
    ];
    console.info(lines.join("\n"));
    return lines;
  } finally {
    await admin.end().catch(() => {});
    await target.stop().catch(() => {});
    await storeSrv.stop().catch(() => {});
  }
}
