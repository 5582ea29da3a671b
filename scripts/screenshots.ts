import { mkdir } from "node:fs/promises";
import path from "node:path";
import { parseArgs } from "node:util";
import { chromium, type Browser, type Page } from "@playwright/test";
import { DEMO_TARGET_ID } from "@/lib/demo/constants";
import { CHROMIUM_LAUNCH } from "../e2e/fixtures/chromium";
import { PAGES } from "../e2e/fixtures/pages";

// npm run screenshots: every page of a running dashboard (the demo, best with alerts firing) in
// Chromium, at a desktop and a phone size, light and, for a few pages, dark, into
// docs/screenshots/ as <page>-<size>-<scheme>.png (stable names: a new run replaces the files).
// Run: npm run screenshots [-- --url http://127.0.0.1:3000 --target kundli --out docs/screenshots]

const USAGE = "usage: npm run screenshots -- [--url <dashboard url>] [--target <target id>] [--out <folder>]";

const SIZES = {
  desktop: { width: 1440, height: 900 },
  phone: { width: 390, height: 844 },
} as const;
type Size = keyof typeof SIZES;

/** Pages also taken dark: the ones a person on call opens at night. */
const DARK = new Set(["overview", "alerts", "alert-detail", "live", "replication"]);
/** A long page is cut at this many screens: the files stay small and show the first view and more. */
const MAX_SCREENS = 2;
/** The rules whose detail page shows the most (a chart with its lines, links), in that order. */
const PREFERRED_ALERTS = ["cache_hit_ratio", "replication_lag", "archive_stale", "sequence_exhaustion", "checkpoints_requested"];

interface Shot {
  name: string;
  path: string;
  /** data-testid of the panel whose ready state says the page shows its data. */
  ready: string;
}

function parse() {
  try {
    const { values } = parseArgs({
      options: {
        url: { type: "string", default: "http://127.0.0.1:3000" },
        target: { type: "string", default: DEMO_TARGET_ID },
        out: { type: "string", default: path.join("docs", "screenshots") },
      },
      strict: true,
    });
    return { base: new URL(values.url).origin, target: values.target, out: path.resolve(values.out) };
  } catch (e) {
    process.stderr.write(`error: ${(e as Error).message}\n${USAGE}\n`);
    process.exit(2);
  }
}

async function getJson<T>(base: string, route: string): Promise<T> {
  const res = await fetch(new URL(route, base)).catch((e: Error) => {
    throw new Error(`${base} does not answer (${e.message}): start the dashboard first (npm run demo)`);
  });
  if (!res.ok) throw new Error(`GET ${route} answered ${res.status}: ${await res.text()}`);
  return (await res.json()) as T;
}

interface AlertRow {
  id: string | number;
  rule: string;
  state: string;
}

/** A firing alert of a preferred rule, else any firing one, else the newest. */
async function pickAlert(base: string): Promise<AlertRow> {
  const { alerts } = await getJson<{ alerts: AlertRow[] }>(base, "/api/alerts?state=firing,pending,resolved");
  const firing = alerts.filter((a) => a.state === "firing");
  const rank = (a: AlertRow) => {
    const i = PREFERRED_ALERTS.indexOf(a.rule);
    return i === -1 ? PREFERRED_ALERTS.length : i;
  };
  const pick = [...firing].sort((a, b) => rank(a) - rank(b))[0] ?? alerts[0];
  if (!pick) throw new Error("no alert yet: run the demo until its first alerts fire (about 5 minutes)");
  return pick;
}

/** The slow statement with the most total time in the last hour. */
async function pickFingerprint(base: string, target: string): Promise<string> {
  const range = new URLSearchParams({ from: new Date(Date.now() - 3_600_000).toISOString(), to: new Date().toISOString() });
  const r = await getJson<{ groups: { fingerprint: string; totalMs: number }[] }>(base, `/api/targets/${encodeURIComponent(target)}/slow-queries?${range}`);
  const top = [...r.groups].sort((a, b) => b.totalMs - a.totalMs)[0];
  if (!top) throw new Error(`no slow statement on ${target} in the last hour yet: run the demo a few minutes longer`);
  return top.fingerprint;
}

/** Waits for the page's main panel, then for every panel to leave its loading state. */
async function settle(page: Page, ready: string): Promise<void> {
  await page.locator(`[data-testid="${ready}"]:not([data-state="loading"])`).first().waitFor({ timeout: 30_000 });
  await page.waitForFunction(() => !document.querySelector('[aria-busy="true"]'), undefined, { timeout: 15_000 }).catch(() => {});
  // Fonts and the charts' first layout.
  await page.evaluate(() => document.fonts.ready);
  await page.waitForTimeout(800);
}

async function capture(browser: Browser, base: string, shot: Shot, size: Size, scheme: "light" | "dark", out: string): Promise<string> {
  const context = await browser.newContext({ viewport: SIZES[size], colorScheme: scheme, deviceScaleFactor: 1, reducedMotion: "reduce" });
  try {
    const page = await context.newPage();
    await page.goto(new URL(shot.path, base).toString());
    await settle(page, shot.ready);
    const height = await page.evaluate(() => document.documentElement.scrollHeight);
    const file = path.join(out, `${shot.name}-${size}-${scheme}.png`);
    const clip = { x: 0, y: 0, width: SIZES[size].width, height: Math.min(height, SIZES[size].height * MAX_SCREENS) };
    await page.screenshot({ path: file, fullPage: true, clip, animations: "disabled" });
    return file;
  } finally {
    await context.close();
  }
}

async function main() {
  const { base, target, out } = parse();
  await getJson(base, "/api/health");
  const alert = await pickAlert(base);
  const fingerprint = await pickFingerprint(base, target);
  const shots: Shot[] = [
    ...PAGES.map((p) => ({ name: p.name, path: p.path(encodeURIComponent(target)), ready: p.ready })),
    { name: "alert-detail", path: `/alerts/${alert.id}`, ready: "panel-alert-detail" },
    { name: "query-detail", path: `/targets/${encodeURIComponent(target)}/queries/${encodeURIComponent(fingerprint)}`, ready: "panel-query-detail" },
  ];
  await mkdir(out, { recursive: true });
  const browser = await chromium.launch(CHROMIUM_LAUNCH);
  try {
    for (const shot of shots) {
      for (const size of Object.keys(SIZES) as Size[]) {
        for (const scheme of DARK.has(shot.name) ? (["light", "dark"] as const) : (["light"] as const)) {
          const file = await capture(browser, base, shot, size, scheme, out);
          process.stdout.write(`${path.relative(process.cwd(), file)}\n`);
        }
      }
    }
  } finally {
    await browser.close();
  }
  process.stdout.write(`alert detail: ${alert.rule} (#${alert.id}); query detail: ${fingerprint}\n`);
}

main().catch((e) => {
  process.stderr.write(`screenshots failed: ${(e as Error).message}\n`);
  process.exit(1);
});
