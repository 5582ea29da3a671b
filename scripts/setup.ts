import { parseArgs } from "node:util";
import { runSetup, type SetupAction } from "@/lib/setup/run-setup";
import { isPostgresUrl, maskUrl } from "@/lib/setup/url";

// npm run setup -- --url <postgres-url> [--create-role NAME --password P]
// Installs what the dashboard reads into the target and prints the monitoring role's grants.

const USAGE = "usage: npm run setup -- --url <postgres-url> [--create-role NAME --password P]";

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
      },
      strict: true,
    }).values;
  } catch (e) {
    fail((e as Error).message);
  }
}

const ICON: Record<SetupAction["status"], string> = { done: "✔ done   ", exists: "• exists ", skipped: "- skipped", failed: "✘ failed " };

async function main() {
  const args = parse();
  if (!args.url) fail("--url is required (the target database, as an administrator)");
  if (!isPostgresUrl(args.url)) fail("--url must be a postgres:// or postgresql:// URL with a host");
  if (args["create-role"] && !args.password) fail("--create-role needs --password");
  if (args.password && !args["create-role"]) fail("--password is only used with --create-role");

  const name = args["create-role"] ?? args.role;
  process.stdout.write(`pgpulse setup on ${maskUrl(args.url)}\n\n`);
  let result;
  try {
    result = await runSetup({ url: args.url, monitorRole: name ? { name, password: args.password } : undefined });
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
  process.exit(failed > 0 ? 1 : 0);
}

void main();
