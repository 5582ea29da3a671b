import "server-only";
import type pg from "pg";
import { z } from "zod";
import { exec, maybeOne, one } from "@/lib/db/query";

// What every setup step is written with: one administrator connection, the list of actions it
// reports, and look-ups that read one column named v. Identifiers reach SQL only through the
// server's own format(%I / %L), never by string building here.

export type SetupStatus = "done" | "exists" | "skipped" | "failed";

export interface SetupAction {
  what: string;
  status: SetupStatus;
  reason?: string;
}

type Step = () => Promise<Omit<SetupAction, "what"> | SetupStatus>;

const flagRow = z.object({ v: z.boolean() });
const textRow = z.object({ v: z.string() });

export interface SetupContext {
  readonly actions: SetupAction[];
  /** Runs one step and records its outcome; an error becomes a "failed" action, never a throw. */
  step(what: string, fn: Step): Promise<void>;
  flag(sql: string, params?: unknown[]): Promise<boolean>;
  text(sql: string, params?: unknown[]): Promise<string | undefined>;
  /** format(template, args…) on the server, then runs the statement it built. */
  execFormatted(template: string, ...args: string[]): Promise<void>;
  roleExists(name: string): Promise<boolean>;
}

export function createSetupContext(client: pg.Client): SetupContext {
  const actions: SetupAction[] = [];
  const flag = async (sql: string, params: unknown[] = []) => (await one(client, flagRow, sql, params, "setup: check")).v;
  return {
    actions,
    async step(what, fn) {
      try {
        const r = await fn();
        actions.push(typeof r === "string" ? { what, status: r } : { what, ...r });
      } catch (e) {
        actions.push({ what, status: "failed", reason: setupFailure(e) });
      }
    },
    flag,
    text: async (sql, params = []) => (await maybeOne(client, textRow, sql, params, "setup: read"))?.v,
    async execFormatted(template, ...args) {
      const sql = (await one(client, textRow, `SELECT format($1, ${args.map((_, i) => `$${i + 2}::text`).join(", ")}) AS v`, [template, ...args], "setup: format")).v;
      await exec(client, sql);
    },
    roleExists: (name) => flag(`SELECT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = $1) AS v`, [name]),
  };
}

/**
 * True when the ACL grants `privilege` to `grantee` directly (not through membership). The
 * query yields the object's acl, its owner and its kind for acldefault().
 */
export function aclHas(ctx: SetupContext, aclQuery: string, grantee: string, privilege: string): Promise<boolean> {
  return ctx.flag(
    `SELECT EXISTS (
       SELECT 1 FROM (${aclQuery}) o, aclexplode(coalesce(o.acl, acldefault(o.kind::"char", o.owner))) a
       WHERE a.privilege_type = $2
         AND a.grantee = CASE WHEN $1 = 'PUBLIC' THEN 0::oid ELSE (SELECT oid FROM pg_roles WHERE rolname = $1) END) AS v`,
    [grantee, privilege],
  );
}

/** The role's settings held in pg_db_role_setting for every database. */
export function roleHasSetting(ctx: SetupContext, role: string, name: string, value: string): Promise<boolean> {
  return ctx.flag(
    `SELECT EXISTS (SELECT 1 FROM pg_db_role_setting s JOIN pg_roles r ON r.oid = s.setrole
      WHERE r.rolname = $1 AND s.setdatabase = 0 AND $2 = ANY (s.setconfig)) AS v`,
    [role, `${name}=${value}`],
  );
}

function setupFailure(e: unknown): string {
  const err = e as { code?: string; message?: string };
  if (err.code === "42501") return `insufficient privilege: ${err.message} (run setup as the database owner or a superuser)`;
  return err.message ?? String(e);
}
