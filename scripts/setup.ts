import { parseArgs } from "node:util";
import { runSetup, type SetupAction } from "@/lib/setup/run-setup";
import { isPostgresUrl, maskUrl } from "@/lib/setup/url";

// npm run setup -- --url <postgres-url> [--create-role NAME --password P] [opt-ins]
// Installs what the dashboard reads into the target and prints the monitoring role's grants.
// Opt-ins: --sequences lets the monitoring role read sequences' last values; --explain-role
// creates a planning role for EXPLAIN (SELECT on named schemas, or pg_read_all_data on 14+).

const USAGE = `usage: npm run setup -- --url <postgres-url> [--create-role NAME --password P]
         [--sequences SCHEMA[,SCHEMA…]]
         [--explain-role NAME [--explain-password P] (--explain-schemas SCHEMA[,SCHEMA…] | --explain-read-all)]`;

function fail(message: string): never {
  process.stderr.write(`error: ${message}\n${USAGE}\n`);
  process.exit(2);
}

function parse() {
  try {
    return parseArgs({
      options: {
        url: { type: "string" },
        "create-role": { type: "string" },
        password: { type: "string" },
        role: { type: "string" },
        sequences: { type: "string" },
        "explain-role": { type: "string" },
        "explain-password": { type: "string" },
        "explain-schemas": { type: "string" },
        "explain-read-all": { type: "boolean", default: false },
      },
      strict: true,
    }).values;
  } catch (e) {
    fail((e as Error).message);
  }
}

/** "a,b" → ["a", "b"]; undefined when the flag is absent. */
function schemaList(value: string | undefined, flag: string): string[] | undefined {
  if (value === undefined) return undefined;
  const list = value.split(",").map((x) => x.trim());
  if (list.some((x) => x === "")) fail(`${flag} takes schema names separated by commas`);
  return list;
}

const ICON: Record<SetupAction["status"], string> = { done: "✔ done   ", exists: "• exists ", skipped: "- skipped", failed: "✘ failed " };

async function main() {
  const args = parse();
  if (!args.url) fail("--url is required (the target database, as an administrator)");
  if (!isPostgresUrl(args.url)) fail("--url must be a postgres:// or postgresql:// URL with a host");
  if (args["create-role"] && !args.password) fail("--create-role needs --password");
  if (args.password && !args["create-role"]) fail("--password is only used with --create-role");

  const explainRole = args["explain-role"];
  const explainSchemas = schemaList(args["explain-schemas"], "--explain-schemas");
  if (!explainRole && (args["explain-password"] || explainSchemas || args["explain-read-all"])) fail("--explain-password, --explain-schemas and --explain-read-all need --explain-role");
  if (explainRole && !explainSchemas === !args["explain-read-all"]) fail("--explain-role needs exactly one of --explain-schemas or --explain-read-all");
  const sequenceSchemas = schemaList(args.sequences, "--sequences");

  const name = args["create-role"] ?? args.role;
  process.stdout.write(`pgpulse setup on ${maskUrl(args.url)}\n\n`);
  let result;
  try {
    result = await runSetup({
      url: args.url,
      monitorRole: name ? { name, password: args.password } : undefined,
      sequenceSchemas,
      explainRole: explainRole ? { name: explainRole, password: args["explain-password"], access: explainSchemas ? { schemas: explainSchemas } : "pg_read_all_data" } : undefined,
    });
  } catch (e) {
    const err = e as { code?: string; message?: string };
    process.stderr.write(`error: cannot connect to ${maskUrl(args.url)}: ${err.message ?? String(e)}\n`);
    process.exit(1);
  }
  for (const a of result.actions) {
    process.stdout.write(`  ${ICON[a.status]}  ${a.what}${a.reason ? `\n               ${a.reason}` : ""}\n`);
  }
  const failed = result.actions.filter((a) => a.status === "failed").length;
  process.stdout.write(`\n${result.actions.length} steps, ${failed} failed.\n\nMonitoring role (least privilege):\n\n${result.grantsSql}\n`);
  if (result.optInSql) process.stdout.write(`\nOpt-in grants asked for:\n\n${result.optInSql}\n`);
  process.exit(failed > 0 ? 1 : 0);
}

void main();
