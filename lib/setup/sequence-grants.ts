import "server-only";
import type { SetupContext } from "./context";
import { schemaSelectSteps } from "./schema-grants";

// The sequences metric reads pg_sequences.last_value, which is NULL unless the reader holds SELECT
// or USAGE on the sequence: pg_monitor is not enough (PostgreSQL 13–18). Opt-in, per schema:
// SELECT only, which reads last_value and cannot call nextval or setval; no USAGE on the schema
// (pg_sequences checks the sequence by oid). The monitoring role never gets pg_read_all_data.

export async function sequenceGrantSteps(ctx: SetupContext, grantee: string, schemas: readonly string[]): Promise<void> {
  for (const schema of schemas) await schemaSelectSteps(ctx, grantee, schema, "sequences", false);
}
