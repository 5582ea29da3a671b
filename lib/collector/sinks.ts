import type { MetricResult } from "@/lib/metrics/types";
import type { SampleSink } from "./types";

/** The few log calls the collector makes (a pino logger fits). */
export interface CollectorLog {
  info(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
}

/**
 * Hands a result to every sink. A sink that throws, or returns a promise that rejects, is
 * logged and skipped: one broken consumer never stops collection or starves the others.
 */
export function deliver(sinks: readonly SampleSink[], result: MetricResult, log: CollectorLog): void {
  for (const sink of sinks) {
    try {
      const ret = sink.accept(result) as unknown;
      if (ret instanceof Promise) ret.catch((e: unknown) => log.warn({ metric: result.metric, error: String(e) }, "sink rejected a result"));
    } catch (e) {
      log.warn({ metric: result.metric, error: String(e) }, "sink threw on a result");
    }
  }
}
