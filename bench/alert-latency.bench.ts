import "server-only";
import { chmod, mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import os from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import pg from "pg";
import pino from "pino";
import { listAlerts } from "@/lib/alerts/read";
import { fingerprintSql, loadSqlParser } from "@/lib/analysis/sql-text";
import { configSchema } from "@/lib/config/schema";
import { startEmbeddedPostgres, type EmbeddedServer } from "@/lib/embedded/postgres";
import { startPgpulse, type Pgpulse } from "@/lib/server/wiring/compose";
import { runSetup } from "@/lib/setup/run-setup";

// How long from a condition appearing in a database to its alert firing (the `fired_at` of the
// episode) and to the webhook receiver getting the message — pgpulse's whole loop at its default
// cadences, against real PostgreSQL 17 servers, with default rules except idle_in_transaction,
// whose 300 s threshold is cut to IDLE_THRESHOLD_S so repetitions fit in minutes.
// Scenarios run concurrently, each on its own target (one pgpulse watches them all); before each
// repetition a random pause spreads its start over the poll cycle, so the figures are not
// biased by the phase of the previous repetition. Run: npm run bench:alerts [-- --reps 8 --down-reps 3]

const { values: args } = parseArgs({
  options: {
    reps: { type: "string", default: "8" },
    "down-reps": { type: "string", default: "3" },
    out: { type: "string", default: path.join(import.meta.dirname, "results") },
  },
});
const REPS = Math.max(1, Number(args.reps));
const DOWN_REPS = Math.max(1, Number(args["down-reps"]));
const IDLE_THRESHOLD_S = 5;
const WAIT_MS = 90_000;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const pause = (maxMs: number) => sleep(Math.random() * maxMs);

// --- a webhook receiver on 127.0.0.1 ---------------------------------------------------------

interface Hook {
  at: number;
  rule: string;
  object: string;
  state: string;
}

async function startHookReceiver() {
  const hooks: Hook[] = [];
  const server = createServer((req, res) => {
    let body = "";
    req.on("data", (c) => (body += c));
    req.on("end", () => {
      const at = Date.now();
      const b = JSON.parse(body || "{}") as Record<string, unknown>;
      hooks.push({ at, rule: String(b.rule), object: String(b.object), state: String(b.state) });
      res.writeHead(200).end("ok");
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`,
    hooks,
    close: () => new Promise<void>((resolve) => { server.closeAllConnections(); server.close(() => resolve()); }),
  };
}

// --- measuring one repetition ----------------------------------------------------------------

interface Sample {
  scenario: string;
  rep: number;
  /** Condition start → fired_at, and → webhook received (ms); null when not seen in WAIT_MS. */
  fireMs: number | null;
  hookMs: number | null;
  /** What saw it, for slow_query: running, pg_stat_statements or slow_query_log. */
  source: string | null;
}

async function until<T>(fn: () => Promise<T | undefined> | T | undefined, timeoutMs = WAIT_MS): Promise<T | undefined> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const v = await fn();
    if (v !== undefined) return v;
    await sleep(100);
  }
  return undefined;
}

function createMeter(rt: Pgpulse, hooks: Hook[]) {
  const samples: Sample[] = [];
  // Episodes and messages from before t0 belong to an earlier repetition on the same object.
  const firedAt = async (targetId: string, rule: string, object: string, t0: number) => {
    const all = await listAlerts(rt.store.pool, { target: targetId, rule, state: ["firing", "resolved"] });
    return all.find((a) => a.objectKey === object && a.firedAt && a.firedAt.getTime() >= t0);
  };
  return {
    samples,
    /** Waits for the firing row and the firing webhook of (rule, object) and records both. */
    async record(scenario: string, rep: number, t0: number, targetId: string, rule: string, object: string): Promise<void> {
      const hook = await until(() => hooks.find((h) => h.rule === rule && h.object === object && h.state === "firing" && h.at >= t0));
      const fired = await until(() => firedAt(targetId, rule, object, t0), 1_000);
      samples.push({ scenario, rep, fireMs: fired ? fired.firedAt!.getTime() - t0 : null, hookMs: hook ? hook.at - t0 : null, source: fired?.labels.source ?? null });
      const s = samples.at(-1)!;
      console.log(`${scenario} #${rep}: fired ${s.fireMs ?? "–"} ms, webhook ${s.hookMs ?? "–"} ms${s.source ? ` (${s.source})` : ""}`);
    },
  };
}

type Meter = ReturnType<typeof createMeter>;

// --- scenarios -------------------------------------------------------------------------------

async function connect(url: string): Promise<pg.Client> {
  const c = new pg.Client({ connectionString: url, application_name: "kundli-app" });
  c.on("error", () => {});
  await c.connect();
  return c;
}

/** The application logs a slow statement into slow_query_log (polled every 15 s). */
async function slowLogScenario(m: Meter, url: string) {
  const c = await connect(url);
  for (let i = 1; i <= REPS; i++) {
    await pause(15_000);
    const text = `SELECT * FROM birth_charts_report_${i} WHERE user_id = 42`;
    const t0 = Date.now();
    await c.query("INSERT INTO slow_query_log (query_text, execution_time) VALUES ($1, interval '1500 milliseconds')", [text]);
    await m.record("slow_query (slow_query_log row)", i, t0, "app", "slow_query", fingerprintSql(text));
  }
  await c.end();
}

/** A 1.5 s pg_sleep statement: seen running, or in pg_stat_statements once done. */
async function sleepScenario(m: Meter, url: string) {
  const c = await connect(url);
  for (let i = 1; i <= REPS; i++) {
    await pause(15_000);
    // One table per repetition: a new statement shape, so a new fingerprint and a new alert.
    const sql = `SELECT pg_sleep(1.5) FROM sleep_${i}`;
    const t0 = Date.now();
    await c.query(sql);
    await m.record("slow_query (pg_sleep 1.5 s)", i, t0, "app", "slow_query", fingerprintSql(sql));
  }
  await c.end();
}

/** A session left idle in transaction; the alert is due IDLE_THRESHOLD_S later. */
async function idleScenario(m: Meter, url: string) {
  for (let i = 1; i <= REPS; i++) {
    await pause(3_000);
    const c = await connect(url);
    const pid = (await c.query<{ pid: number }>("SELECT pg_backend_pid() AS pid")).rows[0].pid;
    await c.query("BEGIN");
    await c.query("SELECT count(*) FROM sleep_1");
    const t0 = Date.now();
    await m.record(`idle_in_transaction (threshold ${IDLE_THRESHOLD_S} s)`, i, t0, "app", "idle_in_transaction", `pid:${pid}`);
    await c.query("COMMIT");
    await c.end();
  }
}

/** A full scan of a table four times shared_buffers, in a database nobody else uses. */
async function coldScanScenario(m: Meter, server: EmbeddedServer) {
  for (let i = 1; i <= REPS; i++) {
    await pause(15_000);
    // The application's pooled session stays open: its counters reach pg_stat_database when
    // the backend flushes them (PG 15+: up to ~10 s later when it goes idle right after).
    const c = await connect(server.url(`cold_${i}`));
    const t0 = Date.now();
    await c.query("SELECT sign, count(*), avg(longitude) FROM planetary_positions GROUP BY sign");
    await m.record("cache_hit_ratio (cold scan)", i, t0, "cold", "cache_hit_ratio", `db:cold_${i}`);
    await c.end();
  }
}

/** The target server stops (fast shutdown); target_down fires after its 30 s `for`. */
async function targetDownScenario(m: Meter, down: { stop(): Promise<void>; start(): Promise<void> }, rt: Pgpulse) {
  for (let i = 1; i <= DOWN_REPS; i++) {
    await pause(3_000);
    const before = (await listAlerts(rt.store.pool, { target: "down", rule: "target_down", state: "resolved" })).length;
    const t0 = Date.now();
    await down.stop();
    // The object is the same every time: wait for this repetition's episode (one more firing).
    await m.record("target_down (for 30 s)", i, t0, "down", "target_down", "target");
    await down.start();
    await until(async () => ((await listAlerts(rt.store.pool, { target: "down", rule: "target_down", state: "resolved" })).length > before ? true : undefined));
  }
}

// --- report ----------------------------------------------------------------------------------

function quantile(xs: number[], q: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil(q * s.length) - 1))];
}

function summarize(samples: Sample[]) {
  const names = [...new Set(samples.map((s) => s.scenario))];
  return names.map((scenario) => {
    const mine = samples.filter((s) => s.scenario === scenario);
    const fire = mine.map((s) => s.fireMs).filter((v): v is number => v !== null);
    const hook = mine.map((s) => s.hookMs).filter((v): v is number => v !== null);
    const deliver = mine.flatMap((s) => (s.fireMs !== null && s.hookMs !== null ? [s.hookMs - s.fireMs] : []));
    const fig = (xs: number[]) => (xs.length ? { median: quantile(xs, 0.5), p95: quantile(xs, 0.95), max: Math.max(...xs) } : null);
    const sources: Record<string, number> = {};
    for (const s of mine) if (s.source) sources[s.source] = (sources[s.source] ?? 0) + 1;
    return { scenario, reps: mine.length, missed: mine.length - hook.length, fire: fig(fire), hook: fig(hook), deliver: fig(deliver), sources };
  });
}

const sec = (ms: number | undefined) => (ms === undefined ? "–" : (ms / 1000).toFixed(1));

function markdown(rows: ReturnType<typeof summarize>, meta: Record<string, unknown>): string {
  const lines = [
    "| scenario | seen | → firing median / p95 (s) | → webhook median / p95 (s) | firing → webhook median / max (s) | seen by |",
    "|---|---:|---:|---:|---:|---|",
    ...rows.map((r) => `| ${r.scenario} | ${r.reps - r.missed}/${r.reps} | ${sec(r.fire?.median)} / ${sec(r.fire?.p95)} | ${sec(r.hook?.median)} / ${sec(r.hook?.p95)} | ${sec(r.deliver?.median)} / ${sec(r.deliver?.max)} | ${Object.entries(r.sources).map(([k, n]) => `${k} ${n}`).join(", ") || "–"} |`),
  ];
  return `# Alert latency, ${String(meta.date)}\n\nCommand: \`npm run bench:alerts\` (reps ${REPS}, target_down reps ${DOWN_REPS}; total run ${String(meta.totalSeconds)} s). p95 is the nearest rank: with under 20 repetitions it is the largest.\n\nMachine: ${String(meta.machine)}.\n\n${lines.join("\n")}\n`;
}

// --- main ------------------------------------------------------------------------------------

async function main() {
  const startedAt = Date.now();
  const root = await mkdtemp(path.join(os.tmpdir(), "pgpulse-bench-alerts-"));
  await chmod(root, 0o755); // initdb runs as the unprivileged "postgres" user when we are root
  const servers: EmbeddedServer[] = [];
  const boot = async (name: string, settings: Record<string, string | number> = {}) => {
    const s = await startEmbeddedPostgres({ dataDir: path.join(root, name), major: 17, persistent: true, settings: { fsync: "off", ...settings } });
    servers.push(s);
    return s;
  };
  const receiver = await startHookReceiver();
  let rt: Pgpulse | null = null;
  try {
    const [store, app, cold] = await Promise.all([boot("store"), boot("app", { shared_preload_libraries: "pg_stat_statements" }), boot("cold", { shared_buffers: "8MB" })]);
    const downDir = path.join(root, "down");
    let down = await boot("down");
    const downPort = down.port;
    const downCtl = {
      stop: async () => { await down.stop(); },
      start: async () => { down = await startEmbeddedPostgres({ dataDir: downDir, port: downPort, major: 17, persistent: true, settings: { fsync: "off" } }); servers.push(down); },
    };

    const admin = await connect(app.url());
    await admin.query("CREATE DATABASE kundli");
    await admin.end();
    await runSetup({ url: app.url("kundli") });
    const k = await connect(app.url("kundli"));
    for (let i = 1; i <= REPS; i++) await k.query(`CREATE TABLE sleep_${i} AS SELECT 1 AS one`);
    await k.end();

    const c = await connect(cold.url());
    await c.query("CREATE DATABASE cold_src");
    const src = await connect(cold.url("cold_src"));
    await src.query(`CREATE TABLE planetary_positions AS
      SELECT g AS id, g % 10 AS planet, g % 12 AS sign, random() * 360 AS longitude, repeat('x', 60) AS note FROM generate_series(1, 250000) g`);
    await src.end();
    // FILE_COPY: the copies are made below the buffer manager, so they count no block accesses.
    for (let i = 1; i <= REPS; i++) await c.query(`CREATE DATABASE cold_${i} TEMPLATE cold_src STRATEGY FILE_COPY`);
    await c.end();

    await loadSqlParser();
    const config = configSchema.parse({
      targets: [
        { id: "app", name: "Application", url: app.url("kundli") },
        { id: "cold", name: "Reports", url: cold.url() },
        { id: "down", name: "Doomed", url: down.url() },
      ],
      rules: { idle_in_transaction: { threshold: IDLE_THRESHOLD_S } },
      channels: [{ id: "hook", type: "webhook", url: receiver.url }],
    });
    rt = await startPgpulse({ config, storeUrl: store.url(), version: "bench", log: pino({ level: "silent" }) });
    // Let every target's first runs (and the slow-query baselines) happen before measuring.
    await sleep(20_000);

    const meter = createMeter(rt, receiver.hooks);
    await Promise.all([
      slowLogScenario(meter, app.url("kundli")),
      sleepScenario(meter, app.url("kundli")),
      idleScenario(meter, app.url("kundli")),
      coldScanScenario(meter, cold),
      targetDownScenario(meter, downCtl, rt),
    ]);

    const rows = summarize(meter.samples);
    const cpus = os.cpus();
    const date = new Date().toISOString().slice(0, 10);
    const meta = {
      date,
      totalSeconds: Math.round((Date.now() - startedAt) / 1000),
      machine: `cpu ${cpus.length} × ${cpus[0]?.model.trim() ?? "unknown"} · node ${process.version} · postgres 17.10 (embedded, fsync=off)`,
    };
    await mkdir(args.out, { recursive: true });
    await writeFile(path.join(args.out, `alert-latency-${date}.json`), JSON.stringify({ meta, reps: REPS, downReps: DOWN_REPS, idleThresholdSeconds: IDLE_THRESHOLD_S, summary: rows, samples: meter.samples }, null, 2));
    const md = markdown(rows, meta);
    await writeFile(path.join(args.out, `alert-latency-${date}.md`), md);
    console.log(`\n${md}`);
  } finally {
    await rt?.stop();
    await receiver.close();
    await Promise.allSettled(servers.map((s) => s.stop()));
    await rm(root, { recursive: true, force: true });
  }
}

await main();
