import "server-only";
import { chmod, mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import pg from "pg";
import { createLanePools } from "@/lib/collector/lane-pools";
import { createCollectionLimits, type Semaphore } from "@/lib/collector/limits";
import { collectionSchema } from "@/lib/config/schema";
import { createTargetPool } from "@/lib/db/pool";
import { startEmbeddedPostgres } from "@/lib/embedded/postgres";
import { signalBackend } from "@/lib/server/commands/session-action";
import { budgetedConnector } from "@/lib/server/wiring/action-connections";
import { stats } from "./lib/report";

// How long a cancel waits for a slot of its server's connection budget while collection has
// the budget full and runs queued: TARGETS targets of one embedded PostgreSQL 17 run their live
// lane back to back (the saturated case: a start-up burst, or more databases than the budget
// keeps up with), each run a catalog read on its own connection, with the default budget and
// global bound. Once every PERIOD ms (the same rate whatever the wait, so runs per second compare
// across builds) a cancel is sent to a session running pg_sleep, through the action path the API
// uses (budgetedConnector + signalBackend). Reported: the wait from the request to its budget
// slot, the whole answer, and collection runs per second meanwhile (so a faster cancel is not
// bought by stopping collection).
// Run: npm run bench:action-wait [-- --targets 200 --samples 15 --period-ms 2000]

const { values: args } = parseArgs({
  options: {
    targets: { type: "string", default: "200" },
    samples: { type: "string", default: "15" },
    "period-ms": { type: "string", default: "2000" },
  },
});
const TARGETS = Number(args.targets);
const SAMPLES = Number(args.samples);
const PERIOD_MS = Number(args["period-ms"]);
/** A cancel needs a running statement: the runaway one has this long to start. */
const SETTLE_MS = 300;
const RUN_SQL = "/* pgpulse */ SELECT count(*) FROM pg_class c JOIN pg_attribute a ON a.attrelid = c.oid";

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** The budget as the action path sees it, noting when each of its acquisitions is granted. */
function timedBudget(budget: Semaphore, granted: number[]): Semaphore {
  return { ...budget, acquire: (opts) => budget.acquire(opts).then((release) => (granted.push(performance.now()), release)) };
}

async function main() {
  const root = await mkdtemp(path.join(os.tmpdir(), "pgpulse-action-wait-"));
  await chmod(root, 0o755);
  const server = await startEmbeddedPostgres({ dataDir: path.join(root, "pg"), persistent: false, settings: { max_connections: 100 } });
  const url = server.url("postgres");
  const collection = collectionSchema.parse({});
  const limits = createCollectionLimits(collection);
  const budget = limits.server("bench");
  const targets = Array.from({ length: TARGETS }, () => createLanePools({ url, limits: { server: budget, global: limits.global } }));
  const victim = new pg.Client({ connectionString: url, application_name: "runaway" });
  const actionPool = createTargetPool({ url, max: 1, applicationName: "pgpulse-bench-action", statementTimeoutMs: 30_000 });
  let running = true;
  let runs = 0;
  let loops: Promise<void>[] = [];
  try {
    await victim.connect();
    const pid = Number((await victim.query("SELECT pg_backend_pid() AS pid")).rows[0].pid);
    loops = targets.map(async (t) => {
      while (running) {
        await t.run("live", (pool) => pool.query(RUN_SQL));
        runs++;
      }
    });
    await sleep(2_000); // the budget fills and the queue forms
    const granted: number[] = [];
    const connector = budgetedConnector(actionPool, timedBudget(budget, granted));
    const waits: number[] = [];
    const answers: number[] = [];
    const queued: number[] = [];
    const runsBefore = runs;
    const t0 = performance.now();
    for (let i = 0; i < SAMPLES; i++) {
      await sleep(t0 + i * PERIOD_MS - performance.now());
      const runaway = victim.query("SELECT pg_sleep(60)").catch(() => {});
      await sleep(SETTLE_MS);
      queued.push(budget.waiting());
      const asked = performance.now();
      const outcome = await signalBackend(connector, pid, "cancel");
      if (outcome.kind !== "done" || !outcome.ok || outcome.outcome !== "ended") throw new Error(`cancel ${i}: ${JSON.stringify(outcome)}`);
      answers.push(performance.now() - asked);
      waits.push(granted[granted.length - 1] - asked);
      await runaway;
    }
    await sleep(t0 + SAMPLES * PERIOD_MS - performance.now());
    const runsPerSecond = ((runs - runsBefore) * 1000) / (performance.now() - t0);
    const ms = (x: number) => `${Math.round(x)} ms`;
    const line = (name: string, xs: number[], f = ms) => {
      const s = stats(xs);
      return `| ${name} | ${f(s.median)} | ${f(s.min)} | ${f(s.max)} |`;
    };
    console.log(
      [
        `${TARGETS} targets on one server, budget ${collection.connectionsPerServer}, ${collection.concurrentRuns} runs in flight at most, ${SAMPLES} cancels, one every ${PERIOD_MS} ms`,
        "",
        "| | median | min | max |",
        "|---|---:|---:|---:|",
        line("runs waiting for the budget when the cancel is sent", queued, String),
        line("cancel: request to budget slot", waits),
        line("cancel: whole answer (slot, connect, signal, seen ended)", answers),
        "",
        `collection meanwhile: ${runsPerSecond.toFixed(0)} runs/s`,
      ].join("\n"),
    );
  } finally {
    running = false;
    await Promise.all(loops);
    await victim.end().catch(() => {});
    await Promise.all(targets.map((t) => t.end()));
    await actionPool.end();
    await server.stop();
    await rm(root, { recursive: true, force: true });
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
