import type { MetricDefinition } from "./types";
import { connections } from "./definitions/connections";
import { dbSize } from "./definitions/db-size";
import { dbStats } from "./definitions/db-stats";
import { server } from "./definitions/server";
import { statActivity } from "./definitions/stat-activity";
import { indexBloat } from "./definitions/index-bloat";
import { indexStats } from "./definitions/index-stats";
import { slowQueries } from "./definitions/slow-queries";
import { tableStats } from "./definitions/table-stats";

// Every metric group, one file each in ./definitions. Add the import and the list entry here.

// A definition is typed by its row; the list holds them all, so the row type is erased here.
const erased = <R extends Record<string, unknown>>(d: MetricDefinition<R>) => d as unknown as MetricDefinition;

export const definitions: MetricDefinition[] = [
  erased(server),
  erased(statActivity),
  erased(dbStats),
  erased(dbSize),
  erased(connections),
  erased(tableStats),
  erased(indexStats),
  erased(indexBloat),
  erased(slowQueries),
];

const byId = new Map(definitions.map((d) => [d.id, d]));

export function getDefinition(id: string): MetricDefinition | undefined {
  return byId.get(id);
}
