import { mkdir, writeFile } from "node:fs/promises";
import path from "node:path";
import { parseArgs } from "node:util";
import { launch } from "chrome-launcher";
import lighthouse from "lighthouse";
import { chromium } from "@playwright/test";
import { DEMO_TARGET_ID } from "@/lib/demo/constants";
import { spawnPrefixed, stopChild, waitForHealth } from "@/lib/demo/launch-helpers";
import { JS_BUDGET_BYTES, WEIGHED_PAGES, weighFirstVisit } from "../e2e/fixtures/page-weight";

// What a page costs the browser, measured on the demo in Debian's Chromium:
//  - the JavaScript transferred (gzip, as served by `next start`) until the page shows its first
//    view with data, per page;
//  - Lighthouse 12 (the last major that runs on Node 20) on the overview, live and alerts pages:
//    LCP, TBT and CLS with its default mobile emulation and its desktop preset.
// It starts its own demo on ports of its own, so it runs beside a demo already running.
// Run: npm run bench:pages [-- --port 3290 --pg-port 54390 --store-port 54400 --runs 3 --weights-only]

const { values: args } = parseArgs({
  options: {
    port: { type: "string", default: "3290" },
    "pg-port": { type: "string", default: "54390" },
    "store-port": { type: "string" },
    runs: { type: "string", default: "3" },
    // The weights alone take a minute; Lighthouse's runs take many more on a busy machine.
    "weights-only": { type: "boolean", default: false },
    out: { type: "string", default: path.join(import.meta.dirname, "results") },
  },
});
const PORT = Number(args.port);
const BASE = `http://127.0.0.1:${PORT}`;
const RUNS = Number(args.runs);
const CHROMIUM = process.env.PGPULSE_CHROMIUM ?? "/usr/bin/chromium";

const PAGES = WEIGHED_PAGES.map((p) => ({ name: p.name, path: p.path(DEMO_TARGET_ID), ready: p.ready }));
const BUDGET_KB = JS_BUDGET_BYTES / 1024;
const LIGHTHOUSE_PAGES = ["overview", "live", "alerts"];

async function measureWeights(): Promise<Record<string, number>> {
  const browser = await chromium.launch({ executablePath: CHROMIUM });
  const out: Record<string, number> = {};
  try {
    for (const p of PAGES) {
      out[p.name] = (await weighFirstVisit(browser, BASE + p.path, p.ready)).bytes;
    }
  } finally {
    await browser.close();
  }
  return out;
}

interface Vitals {
  lcpMs: number;
  tbtMs: number;
  cls: number;
  score: number;
}

async function lighthouseRun(url: string, port: number, desktop: boolean): Promise<Vitals> {
  const result = await lighthouse(
    url,
    { port, output: "json", logLevel: "error", onlyCategories: ["performance"] },
    desktop ? { extends: "lighthouse:default", settings: { formFactor: "desktop", screenEmulation: { mobile: false, width: 1350, height: 940, deviceScaleFactor: 1, disabled: false }, throttlingMethod: "simulate", throttling: { rttMs: 40, throughputKbps: 10240, cpuSlowdownMultiplier: 1, requestLatencyMs: 0, downloadThroughputKbps: 0, uploadThroughputKbps: 0 } } } : undefined,
  );
  if (!result) throw new Error(`lighthouse returned nothing for ${url}`);
  const a = result.lhr.audits;
  return {
    lcpMs: a["largest-contentful-paint"].numericValue ?? NaN,
    tbtMs: a["total-blocking-time"].numericValue ?? NaN,
    cls: a["cumulative-layout-shift"].numericValue ?? NaN,
    score: result.lhr.categories.performance.score ?? NaN,
  };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

async function measureVitals(): Promise<Record<string, { mobile: Vitals; desktop: Vitals }>> {
  const chrome = await launch({ chromePath: CHROMIUM, chromeFlags: ["--headless=new", "--no-sandbox", "--disable-gpu"] });
  const out: Record<string, { mobile: Vitals; desktop: Vitals }> = {};
  try {
    for (const name of LIGHTHOUSE_PAGES) {
      const url = BASE + PAGES.find((p) => p.name === name)!.path;
      const pick = async (desktop: boolean): Promise<Vitals> => {
        const runs: Vitals[] = [];
        for (let i = 0; i < RUNS; i++) runs.push(await lighthouseRun(url, chrome.port, desktop));
        return { lcpMs: median(runs.map((r) => r.lcpMs)), tbtMs: median(runs.map((r) => r.tbtMs)), cls: median(runs.map((r) => r.cls)), score: median(runs.map((r) => r.score)) };
      };
      out[name] = { mobile: await pick(false), desktop: await pick(true) };
    }
  } finally {
    chrome.kill();
  }
  return out;
}

async function main() {
  const demo = spawnPrefixed(
    path.resolve("node_modules/.bin/tsx"),
    ["--conditions=react-server", "scripts/demo.ts", "--port", String(PORT), "--pg-port", args["pg-port"]!],
    { ...process.env, PGPULSE_DATA_DIR: ".pgpulse/bench-pages", PGPULSE_STORE_PORT: args["store-port"] ?? String(Number(args["pg-port"]) + 10), PGPULSE_LOG_LEVEL: "warn" },
    "[demo] ",
  );
  let exited = false;
  demo.on("exit", () => (exited = true));
  try {
    const health = await waitForHealth(`${BASE}/api/health`, 600_000, () => !exited);
    if (health !== "ready") throw new Error(`the demo did not become ready (${health})`);
    // Let the collector fill every panel once, so first views show data, not placeholders.
    await new Promise((r) => setTimeout(r, 20_000));
    const weights = await measureWeights();
    const vitals: Awaited<ReturnType<typeof measureVitals>> = args["weights-only"] ? {} : await measureVitals();
    const date = new Date().toISOString().slice(0, 10);
    const lines = [
      `JavaScript transferred (gzip) until the first view shows data; budget ${BUDGET_KB} kB`,
      "| page | kB |",
      "|---|---:|",
      ...PAGES.map((p) => `| ${p.name} | ${(weights[p.name] / 1024).toFixed(1)}${weights[p.name] / 1024 > BUDGET_KB ? " (over)" : ""} |`),
      "",
      `Lighthouse 12, median of ${RUNS} runs, Chromium ${CHROMIUM}`,
      "| page | form | LCP ms | TBT ms | CLS | score |",
      "|---|---|---:|---:|---:|---:|",
      ...Object.entries(vitals).flatMap(([name, v]) =>
        (["mobile", "desktop"] as const).map((f) => `| ${name} | ${f} | ${Math.round(v[f].lcpMs)} | ${Math.round(v[f].tbtMs)} | ${v[f].cls.toFixed(3)} | ${Math.round(v[f].score * 100)} |`),
      ),
    ];
    process.stdout.write(`${lines.join("\n")}\n`);
    await mkdir(args.out!, { recursive: true });
    await writeFile(path.join(args.out!, `pages-${date}.json`), JSON.stringify({ date, budgetKb: BUDGET_KB, weightsBytes: weights, vitals }, null, 2));
    await writeFile(path.join(args.out!, `pages-${date}.md`), `${lines.join("\n")}\n`);
  } finally {
    await stopChild(demo, 30_000);
  }
}

main().catch((e) => {
  process.stderr.write(`${e instanceof Error ? e.stack : String(e)}\n`);
  process.exit(1);
});
