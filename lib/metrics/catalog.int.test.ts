import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { createCollector, type Collector } from "@/lib/collector/collector";
import { catalogTasks } from "@/lib/collector/definition-tasks";
import { thresholdsSchema } from "@/lib/config/schema";
import { convertResult } from "@/lib/store/convert";
import { createTestDatabase, type TestDatabase } from "@/test/db";
import { catalog } from "./catalog";
import { defineMetric } from "./define";
import type { MetricResult } from "./types";

// Adding a metric is one definition and one list entry: a definition written here, appended to
// the catalog and handed to the task builder, is collected from a real server and turned into
// series with nothing else registered anywhere.

const settingsCount = defineMetric({
  id: "settings_count",
  description: "How many run-time parameters the server has",
  scope: "cluster",
  lane: "live",
  intervalMs: 500,
  timeoutMs: 1_000,
  sql: { 130000: "/* pgpulse */ SELECT count(*)::int AS settings FROM pg_settings" },
  row: z.object({ settings: z.number().int().positive() }),
  labels: [],
  counters: [],
  gauges: ["settings"],
});
const list = [...catalog, settingsCount];

describe("a metric added to the list", () => {
  let db: TestDatabase;
  let collector: Collector;
  const results: MetricResult[] = [];

  beforeAll(async () => {
    db = await createTestDatabase(17);
    collector = createCollector({
      target: { id: "catalog", name: "catalog", url: db.url },
      thresholds: thresholdsSchema.parse({}),
      sinks: [{ accept: (r) => void results.push(r) }],
      tasks: catalogTasks(list),
    });
    collector.start();
  });

  afterAll(async () => {
    await collector?.stop();
    await db?.drop();
  });

  it("is scheduled with every other definition of the list, each once (the probe runs `server`)", () => {
    expect(Object.keys(collector.snapshot().tasks ?? {}).sort()).toEqual(list.map((d) => d.id).sort());
  });

  it("is collected on its own cadence and becomes its series", async () => {
    await expect.poll(() => collector.snapshot().tasks?.settings_count?.runs ?? 0, { timeout: 15_000 }).toBeGreaterThanOrEqual(3);
    const latest = collector.snapshot().metrics.settings_count;
    expect(latest).toMatchObject({ status: "ok", metric: "settings_count" });
    const settings = latest?.status === "ok" ? (latest.rows[0]?.settings as number) : 0;
    // A server has a few hundred run-time parameters.
    expect(settings).toBeGreaterThan(100);

    const series = convertResult(latest!, (id) => list.find((d) => d.id === id)).samples;
    expect(series).toEqual([expect.objectContaining({ name: "settings_count.settings", kind: "gauge", value: settings })]);
    expect(results.filter((r) => r.metric === "settings_count" && r.status === "ok").length).toBeGreaterThanOrEqual(3);
  });
});
