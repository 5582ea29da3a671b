import type { MetricDefinition, MetricSpec } from "./types";

// A metric file writes its definition typed by its row, so labels, counters, gauges and
// toSeries are checked against the row's columns. Lists, the collector and the store hold
// definitions of every row type at once: the row type is erased here, and only here.

export function defineMetric<Row extends Record<string, unknown>>(spec: MetricSpec<Row>): MetricDefinition {
  const { toSeries, ...rest } = spec;
  if (!toSeries) return rest;
  // The rows a definition's toSeries is given are those its own `row` schema produced (runMetric
  // parses every row with it before anyone reads them), so they are Rows.
  return { ...rest, toSeries: (rows) => toSeries(rows as Row[]) };
}
