import "server-only";
import { NextResponse } from "next/server";
import { describeConnectionFailure } from "@/lib/db/connection-failure";
import { DbError } from "@/lib/db/errors";
import { isDomainError } from "@/lib/errors";
import { logger, scrubSecrets } from "@/lib/log";

// The one place a failed request becomes an answer. A DomainError says its own status, code,
// parameter and headers; anything else is logged and answered 500 without details, so internal
// messages, SQL and stacks never reach the response.

export function errorResponse(e: unknown): Response {
  if (isDomainError(e)) return NextResponse.json(e.body(), { status: e.status, headers: e.headers });
  if (e instanceof DbError && e.kind === "connection") {
    // An explicit action (EXPLAIN, cancel) could not reach the target: say why in our words.
    // The driver's message names hosts, roles and databases; it goes to the log only.
    logger().warn({ err: { message: scrubSecrets(e.message) } }, "target connection failed");
    return NextResponse.json({ error: `the target did not accept a connection: ${describeConnectionFailure(e)}` }, { status: 503 });
  }
  logger().error({ err: { message: scrubSecrets(String((e as Error)?.message ?? e)) } }, "request failed");
  return NextResponse.json({ error: "internal error" }, { status: 500 });
}
