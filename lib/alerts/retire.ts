import "server-only";
import type { Pool } from "pg";
import { exec } from "@/lib/db/query";
import { noteAlertsChanged } from "./changes";

/**
 * Closes the open episodes of a target that is gone for good (its database dropped, found by
 * discovery): a firing one is resolved, a pending one ends, each with an event saying why. No
 * notification is sent: nothing recovered, the object no longer exists, and the reason is on
 * the alert's page. Call it once the target's collector is stopped and its state released, so
 * no evaluation writes after it. Returns the episodes closed.
 */
export async function retireTargetAlerts(pool: Pool, targetId: string, reason: string): Promise<number> {
  const closed = await exec(
    pool,
    `WITH open AS (
       SELECT id, state FROM pgpulse.alerts WHERE target_id = $1 AND state IN ('pending', 'firing') FOR UPDATE
     ), closed AS (
       UPDATE pgpulse.alerts a
          SET state = CASE WHEN open.state = 'firing' THEN 'resolved' ELSE 'inactive' END,
              resolved_at = now(), last_eval_at = now(), details = a.details || jsonb_build_object('retired', $2::text)
         FROM open WHERE a.id = open.id
       RETURNING a.id, open.state AS from_state, a.state AS to_state
     )
     INSERT INTO pgpulse.alert_events (alert_id, at, from_state, to_state, details)
     SELECT id, now(), from_state, to_state, jsonb_build_object('retired', $2::text) FROM closed`,
    [targetId, reason],
  );
  noteAlertsChanged(pool);
  return closed;
}
