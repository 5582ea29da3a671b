import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { existsSync } from "node:fs";

// postgres_exporter as Debian packages it (prometheus-postgres-exporter), with its default
// collectors and no custom queries file, scraped like Prometheus would: every `scrapeMs`.

export const EXPORTER_BIN = process.env.PGPULSE_BENCH_EXPORTER ?? "/usr/bin/prometheus-postgres-exporter";
export const EXPORTER_INSTALL_HINT =
  "postgres_exporter not found. On Debian/Ubuntu: sudo apt-get install -y prometheus-postgres-exporter " +
  "(or set PGPULSE_BENCH_EXPORTER to a postgres_exporter binary).";

export interface RunningExporter {
  version: string;
  scrapes: number;
  failedScrapes: number;
  stop(): Promise<void>;
}

export function exporterAvailable(): boolean {
  return existsSync(EXPORTER_BIN);
}

function exporterVersion(): string {
  const out = spawnSync(EXPORTER_BIN, ["--version"], { encoding: "utf8" });
  const text = `${out.stdout}${out.stderr}`;
  return /version\s+(\S+)/.exec(text)?.[1] ?? "unknown";
}

async function waitForListen(url: string, child: ChildProcess): Promise<void> {
  for (let i = 0; i < 100; i++) {
    if (child.exitCode !== null) throw new Error(`postgres_exporter exited with ${child.exitCode}`);
    try {
      await fetch(url.replace(/\/metrics$/, "/"));
      return;
    } catch {
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  throw new Error("postgres_exporter did not start listening");
}

export async function startExporter(dsn: string, port: number, scrapeMs: number): Promise<RunningExporter> {
  // The DSN travels in the environment, as the packaged service passes it.
  const child = spawn(EXPORTER_BIN, [`--web.listen-address=127.0.0.1:${port}`, "--log.level=error"], {
    env: { ...process.env, DATA_SOURCE_NAME: dsn, PG_EXPORTER_EXTEND_QUERY_PATH: "" },
    stdio: ["ignore", "ignore", "inherit"],
  });
  const url = `http://127.0.0.1:${port}/metrics`;
  await waitForListen(url, child);
  const state: RunningExporter = {
    version: exporterVersion(),
    scrapes: 0,
    failedScrapes: 0,
    stop: async () => {
      clearInterval(timer);
      await inFlight;
      child.kill("SIGTERM");
      await new Promise((r) => (child.exitCode !== null ? r(null) : child.once("exit", r)));
    },
  };
  let inFlight: Promise<void> = Promise.resolve();
  const scrape = () => {
    inFlight = fetch(url)
      .then(async (res) => {
        await res.arrayBuffer();
        if (res.ok) state.scrapes++;
        else state.failedScrapes++;
      })
      .catch(() => {
        state.failedScrapes++;
      });
  };
  scrape();
  const timer = setInterval(scrape, scrapeMs);
  return state;
}
