// Every migration, in order. Numbering: 001–049 history store, 050–099 alerts, 100–149 auth and audit, 150–199 fleet.

import { m001 } from "./001-series-samples";
import { m002 } from "./002-rollups";
import { m003 } from "./003-snapshots-events-status";
import { m010 } from "./010-simulated-ranges";
import { m011 } from "./011-snapshot-sizes";
import { m012 } from "./012-packed-samples";
import { m050 } from "./050-alerts";
import { m051 } from "./051-notifications";
import { m052 } from "./052-silences";
import { m100 } from "./100-audit-log";
import { m150 } from "./150-fleet-leases";
import { m151 } from "./151-target-state";
import type { Migration } from "./types";

export const migrations: Migration[] = [m001, m002, m003, m010, m011, m012, m050, m051, m052, m100, m150, m151];
