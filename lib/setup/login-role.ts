import "server-only";
import { MONITOR_ROLE_SETTINGS } from "./grants";
import { roleHasSetting, type SetupContext } from "./context";
import { scramVerifier } from "./scram";

// A LOGIN role as setup creates it, for the monitoring role and the planning role alike: a
// connection limit, the monitoring session's limits held by the role itself (a pooler in
// transaction mode drops startup parameters), and CONNECT on the database.

export interface LoginRole {
  name: string;
  /** Creates the role when it is missing; without one a missing role is only reported. */
  password?: string;
  connectionLimit: number;
  database: string;
  /** Whether the role existed before this run (so "exists" keeps its password unchanged). */
  existedAtStart: boolean;
}

/** Returns false when the role does not exist afterwards (the caller skips its grants). */
export async function loginRoleSteps(ctx: SetupContext, role: LoginRole, createHint: string): Promise<boolean> {
  const { name, password, connectionLimit } = role;
  if (password === undefined) {
    if (role.existedAtStart) return true;
    ctx.actions.push({ what: `role ${name}`, status: "skipped", reason: `does not exist: ${createHint}` });
    return false;
  }
  await ctx.step(`role ${name} (LOGIN, CONNECTION LIMIT ${connectionLimit})`, async () => {
    if (role.existedAtStart) return { status: "exists", reason: "password left unchanged" };
    await ctx.execFormatted(`CREATE ROLE %I LOGIN PASSWORD %L CONNECTION LIMIT ${connectionLimit}`, name, scramVerifier(password));
    return "done";
  });
  if (!(await ctx.roleExists(name))) return false;
  for (const [setting, value] of MONITOR_ROLE_SETTINGS) {
    await ctx.step(`ALTER ROLE ${name} SET ${setting} = ${value}`, async () => {
      if (await roleHasSetting(ctx, name, setting, value)) return "exists";
      await ctx.execFormatted(`ALTER ROLE %I SET ${setting} = %L`, name, value);
      return "done";
    });
  }
  await ctx.step(`grant CONNECT on database ${role.database} to ${name}`, async () => {
    if (await ctx.flag(`SELECT has_database_privilege($1, current_database(), 'CONNECT') AS v`, [name])) return "exists";
    await ctx.execFormatted("GRANT CONNECT ON DATABASE %I TO %I", role.database, name);
    return "done";
  });
  return true;
}
