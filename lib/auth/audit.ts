import "server-only";
import type { Pool, PoolClient } from "pg";
import { z } from "zod";
import { one } from "@/lib/db/query";
import type { Actor } from "./roles";

// Audit trail for every state-changing action (ack, silence, cancel, terminate, settings,
// EXPLAIN ANALYZE). Pass a PoolClient inside the action's own transaction so the audit row and
// the change commit together.

export interface AuditEntry {
  actor: Actor;
  /** Verb in dotted form, e.g. "alert.ack", "silence.create", "session.terminate". */
  action: string;
  /** What was acted on, e.g. "alert:42", "target:prod/pid:1234". */
  object: string;
  before?: unknown;
  after?: unknown;
  sourceAddress?: string | null;
}

// Secrets never belong in the audit log (it is readable by admins and exported in backups):
// values under these keys are replaced before insert, at any depth.
const SECRET_KEY = /password|passwd|passphrase|secret|token|api[-_]?key|credential|authorization|cookie|^url$|webhook|dsn|connection[-_]?string/i;
const REDACTED = "[redacted]";

export function redactSecrets(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(redactSecrets);
  if (value && typeof value === "object" && !(value instanceof Date)) {
    return Object.fromEntries(
      Object.entries(value as Record<string, unknown>).map(([k, v]) => [k, SECRET_KEY.test(k) ? REDACTED : redactSecrets(v)]),
    );
  }
  return value;
}

const insertedSchema = z.object({ id: z.string().uuid(), at: z.date() });

export async function recordAudit(db: Pool | PoolClient, entry: AuditEntry): Promise<{ id: string; at: Date }> {
  const json = (v: unknown) => (v === undefined || v === null ? null : JSON.stringify(redactSecrets(v)));
  return one(
    db,
    insertedSchema,
    `INSERT INTO pgpulse.audit_log (actor, role, action, object, before, after, source_address)
     VALUES ($1, $2, $3, $4, $5::jsonb, $6::jsonb, $7)
     RETURNING id::text, at`,
    [entry.actor.name, entry.actor.role, entry.action, entry.object, json(entry.before), json(entry.after), entry.sourceAddress ?? null],
    "audit_log insert",
  );
}
